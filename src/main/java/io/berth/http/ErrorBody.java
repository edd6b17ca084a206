package io.berth.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.berth.oci.ErrorCode;
import java.util.List;

/** The JSON error body of the OCI Distribution Spec ("Error Codes"). */
record ErrorBody(List<Entry> errors) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Entry(String code, String message, Object detail) {
    }

    static ErrorBody of(ErrorCode code, String message, Object detail) {
        return new ErrorBody(List.of(new Entry(code.name(), message, detail)));
    }
}
