package dev.ferry.controller.flink;

import java.time.Duration;
import java.util.List;

import org.apache.flink.runtime.rest.FileUpload;
import org.apache.flink.runtime.rest.messages.EmptyMessageParameters;
import org.apache.flink.runtime.rest.messages.EmptyRequestBody;
import org.apache.flink.runtime.rest.util.RestConstants;
import org.apache.flink.runtime.webmonitor.handlers.JarListHeaders;
import org.apache.flink.runtime.webmonitor.handlers.JarListInfo;
import org.apache.flink.runtime.webmonitor.handlers.JarUploadHeaders;
import org.apache.flink.runtime.webmonitor.handlers.JarUploadResponseBody;

/**
 * The job jar on the cluster: its id there, found by its name (which carries a checksum of its contents, so that a
 * jar of another ferry version is never taken for it) or uploaded, and found or uploaded again once the cluster has
 * lost it (a JobManager that restarted without high availability forgets its jars).
 */
final class JobJars {

    private static final Duration UPLOAD_TIMEOUT = Duration.ofMinutes(2);

    private final FlinkRest rest;
    private final JobJar jobJar;
    private String jarId;

    JobJars(FlinkRest rest, JobJar jobJar) {
        this.rest = rest;
        this.jobJar = jobJar;
    }

    /** The jar's id on the cluster, uploading it when the cluster does not have it. */
    synchronized String id() {
        if (jarId == null) {
            jarId = list().jarFileList.stream().filter(jar -> jar.name.equals(jobJar.name())).map(jar -> jar.id)
                .findFirst().orElseGet(this::upload);
        }
        return jarId;
    }

    /**
     * The jar's id after a run of jar {@code id} was refused: a new id when the cluster had lost that jar (and has
     * it again now), else {@code id} itself.
     */
    synchronized String idAfterRefusal(String id) {
        if (list().jarFileList.stream().noneMatch(jar -> jar.id.equals(id))) {
            jarId = null;
        }
        return id();
    }

    private JarListInfo list() {
        return rest.call(JarListHeaders.getInstance(), EmptyMessageParameters.getInstance(),
            EmptyRequestBody.getInstance(), "listing the cluster's jars");
    }

    private String upload() {
        JarUploadResponseBody uploaded = rest.call(JarUploadHeaders.getInstance(),
            EmptyMessageParameters.getInstance(), EmptyRequestBody.getInstance(),
            List.of(new FileUpload(jobJar.named(), RestConstants.CONTENT_TYPE_JAR)), UPLOAD_TIMEOUT,
            "uploading the job jar");
        String filename = uploaded.getFilename();
        return filename.substring(filename.lastIndexOf('/') + 1);
    }
}
