package dev.cloudops.local.portal;

import dev.cloudops.approval.http.HttpRequest;
import dev.cloudops.approval.http.HttpResponse;
import dev.cloudops.artifact.ArtifactNotFoundException;
import dev.cloudops.artifact.StoredArtifact;
import dev.cloudops.local.files.FolderArtifactStore;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * {@code GET /artifacts/<key>?expires=..&signature=..}: the local stand-in for a presigned S3 link. Serves
 * one artifact while its signed link is valid; anything else is refused without saying what exists.
 */
public final class ArtifactRoute {

    public static final String PREFIX = "/artifacts/";

    private final FolderArtifactStore store;

    public ArtifactRoute(FolderArtifactStore store) {
        this.store = store;
    }

    public HttpResponse serve(HttpRequest request, Instant now) {
        if (!request.method().equals("GET")) {
            return text(405, "only GET is allowed here").with("Allow", "GET");
        }
        String key = URLDecoder.decode(request.path().substring(PREFIX.length()), StandardCharsets.UTF_8);
        String expires = request.query().get("expires");
        String signature = request.query().get("signature");
        long until;
        try {
            until = Long.parseLong(expires == null ? "" : expires);
        } catch (NumberFormatException e) {
            return text(403, "this link is not valid");
        }
        if (signature == null || !store.verify(key, until, signature, now)) {
            return text(403, "this link is not valid or has expired");
        }
        try {
            StoredArtifact artifact = store.get(key);
            return new HttpResponse(200, HttpResponse.baseHeaders(artifact.contentType()),
                    new String(artifact.content(), StandardCharsets.UTF_8))
                    .with("Content-Security-Policy", "default-src 'none'; sandbox");
        } catch (ArtifactNotFoundException e) {
            return text(404, "no such artifact");
        }
    }

    private static HttpResponse text(int status, String message) {
        return new HttpResponse(status, HttpResponse.baseHeaders("text/plain; charset=utf-8"), message);
    }
}
