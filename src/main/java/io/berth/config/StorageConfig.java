package io.berth.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where blob bytes live: {@code filesystem} (the default, under {@code data-dir}) or an
 * S3-compatible object store shared by every node.
 *
 * @param type      {@code filesystem} or {@code s3}
 * @param endpoint  the object store's URL, e.g. {@code https://s3.eu-west-1.amazonaws.com} or a Ceph RGW / MinIO URL
 * @param region    signing region ({@code us-east-1} for most non-AWS stores)
 * @param bucket    bucket holding {@code blobs/…} and {@code uploads/…}
 * @param accessKey access key id
 * @param secretKey secret access key
 * @param pathStyle path-style addressing ({@code https://host/bucket/key}), needed by Ceph RGW and MinIO
 * @param presignedRedirects answer blob GETs with a 302 to a presigned object-store URL (valid 5 minutes)
 */
public record StorageConfig(
        @JsonProperty("type") String type,
        @JsonProperty("endpoint") String endpoint,
        @JsonProperty("region") String region,
        @JsonProperty("bucket") String bucket,
        @JsonProperty("access-key") String accessKey,
        @JsonProperty("secret-key") String secretKey,
        @JsonProperty("path-style") Boolean pathStyle,
        @JsonProperty("presigned-redirects") Boolean presignedRedirects) {

    public static final String FILESYSTEM = "filesystem";
    public static final String S3 = "s3";

    public StorageConfig {
        type = type == null ? FILESYSTEM : type;
        if (!type.equals(FILESYSTEM) && !type.equals(S3)) {
            throw new ConfigException("storage.type must be filesystem or s3");
        }
        region = region == null ? "us-east-1" : region;
        pathStyle = pathStyle == null || pathStyle;
        presignedRedirects = presignedRedirects != null && presignedRedirects;
        if (type.equals(S3)) {
            for (String[] required : new String[][]{{"endpoint", endpoint}, {"bucket", bucket},
                    {"access-key", accessKey}, {"secret-key", secretKey}}) {
                if (required[1] == null || required[1].isBlank()) {
                    throw new ConfigException("storage." + required[0] + " is required for s3 storage");
                }
            }
        }
    }

    public boolean isS3() {
        return type.equals(S3);
    }
}
