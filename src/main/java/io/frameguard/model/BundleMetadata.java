package io.frameguard.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * Everything in a bundle besides the weights: what was built, how inputs are prepared and scored,
 * what normal scores look like, and where the model came from.
 *
 * @param formatVersion bundle format version, {@value ModelBundle#FORMAT_VERSION} for bundles written now
 * @param modelId stable identifier: family, dataset, normal labels and a hash of the weights
 * @param spec the hyper-parameters
 * @param preprocessing input size and scaling
 * @param scoreFunction how reconstructions become scores
 * @param calibration held-out normal scores
 * @param training provenance of the training run
 * @param versions library versions that wrote the bundle
 * @param createdAt ISO-8601 creation time
 */
public record BundleMetadata(
        @JsonProperty("format_version") int formatVersion,
        @JsonProperty("model_id") String modelId,
        ModelSpec spec,
        Preprocessing preprocessing,
        @JsonProperty("score_function") ScoreFunction scoreFunction,
        Calibration calibration,
        Training training,
        Map<String, String> versions,
        @JsonProperty("created_at") String createdAt) {

    /**
     * @param dataset dataset name
     * @param normalLabels labels treated as normal
     * @param trainImages images used for gradient steps
     * @param validationImages held-out normal images used for early stopping and calibration
     * @param dataSha256 SHA-256 over the training pixels and labels
     * @param epochs epochs run
     * @param bestEpoch epoch whose weights were kept
     * @param batchSize minibatch size
     * @param trainSeconds wall time of training
     */
    public record Training(
            String dataset,
            @JsonProperty("normal_labels") List<String> normalLabels,
            @JsonProperty("train_images") int trainImages,
            @JsonProperty("validation_images") int validationImages,
            @JsonProperty("data_sha256") String dataSha256,
            int epochs,
            @JsonProperty("best_epoch") int bestEpoch,
            @JsonProperty("batch_size") int batchSize,
            @JsonProperty("train_seconds") double trainSeconds) {
    }
}
