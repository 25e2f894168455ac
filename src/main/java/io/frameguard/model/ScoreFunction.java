package io.frameguard.model;

/** How a reconstruction becomes one anomaly score per image; higher means less normal. */
public enum ScoreFunction {
    /** Mean squared pixel error. */
    MSE,
    /** Mean absolute pixel error. */
    MAE,
    /** Negative log-probability of the image under the VAE's decoder, Monte-Carlo estimated. */
    VAE_NLL
}
