package dev.ferry.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.controller.api.ApiAccess;
import dev.ferry.controller.pipe.AlertSettings;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

/**
 * The API's contract as a client sees it, on a controller listening on every address with a token: the health
 * probes open to all, everything else only with the token, bodies over 1 MiB refused, and an OpenAPI document
 * that describes exactly the routes the server answers. No pipe is created, so the embedded Flink cluster never
 * starts.
 */
class ApiIT {

    private static final String TOKEN = "s3cr3t-token-for-tests";

    @TempDir
    static Path dataDirectory;
    static Controller controller;

    @BeforeAll
    static void startController() throws Exception {
        controller = Controller.start(new Controller.Settings(0, ApiAccess.of("0.0.0.0", Optional.of(TOKEN)),
            dataDirectory, TestControllers.freePort(), TestControllers.FLINK_CONF,
            ControllerMain.jobJar(TestControllers.HOME), 200, null, null, AlertSettings.NONE, SyncLogSettings.DEFAULT));
    }

    @AfterAll
    static void stopController() throws Exception {
        controller.close();
    }

    private static RestApi withoutToken() {
        return new RestApi(controller.url());
    }

    private static RestApi withToken(String token) {
        return new RestApi(controller.url(), token);
    }

    @Test
    void requestsWithoutTheTokenAreUnauthorized() {
        RestApi.Reply reply = withoutToken().get("/v1/pipes");

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.body().path("error").path("code").asText()).isEqualTo("unauthorized");
        assertThat(reply.body().path("error").path("message").asText()).contains("Authorization: Bearer");
    }

    @Test
    void requestsWithAnotherTokenAreUnauthorized() {
        assertThat(withToken(TOKEN + "x").get("/v1/pipes").status()).isEqualTo(401);
        assertThat(withToken("").get("/v1/pipes").status()).isEqualTo(401);
    }

    @Test
    void requestsWithTheTokenAreServed() {
        RestApi.Reply reply = withToken(TOKEN).get("/v1/pipes");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().isArray()).isTrue();
    }

    @Test
    void healthProbesNeedNoToken() {
        RestApi.Reply health = withoutToken().get("/healthz");
        RestApi.Reply ready = withoutToken().get("/readyz");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body().path("status").asText()).isEqualTo("ok");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body().path("ready").asBoolean()).isTrue();
        assertThat(ready.body().path("checks").path("catalog").asText()).isEqualTo("ok");
        assertThat(ready.body().path("checks").path("flink").asText()).isEqualTo("ok");
    }

    @Test
    void aBodyOverOneMebibyteIsRefusedWith413() {
        String twoMebibytes = "{\"name\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}";

        RestApi.Reply reply = withToken(TOKEN).post("/v1/pipes", twoMebibytes);

        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.body().path("error").path("code").asText()).isEqualTo("payload_too_large");
        assertThat(withToken(TOKEN).get("/v1/pipes").body()).isEmpty();
    }

    @Test
    void aBodyOverOneMebibyteSentInChunksIsRefusedWith413() throws Exception {
        byte[] twoMebibytes = ("{\"name\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}").getBytes();
        // a publisher of unknown length: the body goes in chunks, with no Content-Length to check first
        HttpRequest request = HttpRequest.newBuilder(URI.create(controller.url() + "/v1/pipes"))
            .header("Authorization", "Bearer " + TOKEN)
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(twoMebibytes)))
            .build();

        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void anUnknownEndpointIsANotFoundWithAJsonBody() {
        RestApi.Reply reply = withToken(TOKEN).get("/v1/nothing");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.body().path("error").path("message").asText()).contains("/openapi.json");
    }

    @Test
    void theOpenApiDocumentIsValidOpenApi3() {
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(withToken(TOKEN).text("/openapi.json"), null,
            null);

        assertThat(parsed.getMessages()).isEmpty();
        assertThat(parsed.getOpenAPI().getOpenapi()).startsWith("3.");
    }

    @Test
    void theOpenApiDocumentDescribesEveryRouteTheServerAnswersAndNoOther() {
        OpenAPI document = new OpenAPIV3Parser().readContents(withToken(TOKEN).text("/openapi.json"), null, null)
            .getOpenAPI();
        Set<String> documented = new TreeSet<>();
        document.getPaths().forEach((path, item) -> item.readOperationsMap().keySet()
            .forEach(method -> documented.add(method.name() + " " + path)));
        Set<String> served = new TreeSet<>();
        controller.routes().forEach((method, paths) -> paths.forEach(path -> served.add(method + " " + path)));

        assertThat(served).isNotEmpty().isEqualTo(documented);
    }

    @Test
    void everyDocumentedOperationDescribesItsErrorsWithTheErrorSchema() {
        OpenAPI document = new OpenAPIV3Parser().readContents(withToken(TOKEN).text("/openapi.json"), null, null)
            .getOpenAPI();

        document.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
            operation.getResponses().forEach((status, response) -> {
                // the readiness probe's 503 is its report of the checks, not a refusal
                if ((status.startsWith("4") || status.startsWith("5")) && !path.equals("/readyz")) {
                    assertThat(response.getContent().get("application/json").getSchema().get$ref())
                        .as("%s %s %s", method, path, status).endsWith("/Error");
                }
            })));
    }

    @Test
    void aControllerOnAnotherAddressThanLoopbackDoesNotStartWithoutAToken() throws Exception {
        Path data = Files.createTempDirectory(dataDirectory, "refused");
        ProcessBuilder command = new ProcessBuilder(FerryCli.LAUNCHER.toString(), "controller", "--bind", "0.0.0.0",
            "--port", Integer.toString(TestControllers.freePort()), "--data-dir", data.toString())
            .redirectErrorStream(true);
        command.environment().remove("FERRY_API_TOKEN");
        Process process = command.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes());

        assertThat(process.waitFor()).isNotZero();
        assertThat(output).contains("--token-file").doesNotContain("listening on");
    }
}
