package io.hlskit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

/**
 * The Dockerfile and the compose file cannot run here (no container engine): they are read
 * instead, and held to what the demo really does: the variables they set are ones it reads, the
 * port and health path are its own, the load balancer passes the chat's WebSocket through.
 */
class DeploymentDescriptorsTest {
  private static final Path ROOT = Path.of("..");
  private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Z0-9_]+)");

  /** The demo's command line with option defaults as written ({@code ${env:HLS_PORT:-8080}}). */
  private static CommandLine uninterpolated() {
    return new CommandLine(new Main()).setInterpolateVariables(false);
  }

  /** Every environment variable the demo's commands read, from their picocli options. */
  private static Set<String> variablesTheDemoReads() {
    Set<String> names = new HashSet<>();
    CommandLine main = uninterpolated();
    for (CommandLine sub : main.getSubcommands().values()) {
      for (OptionSpec o : sub.getCommandSpec().options()) {
        if (o.defaultValue() != null) {
          Matcher m = ENV.matcher(o.defaultValue());
          while (m.find()) {
            names.add(m.group(1));
          }
        }
      }
    }
    return names;
  }

  @Test
  void theDemoReadsTheVariablesTheArchitectureNames() {
    assertThat(variablesTheDemoReads()).contains("HLS_PORT", "HLS_STREAMS", "HLS_STORAGE",
        "HLS_CHAT", "HLS_S3_ENDPOINT", "HLS_S3_BUCKET", "HLS_S3_REGION", "HLS_S3_PATH_STYLE",
        "HLS_REDIS_URL", "HLS_ADMIN_TOKEN");
  }

  @Test
  void everyOptionAlsoReadsAnEnvironmentVariable() {
    for (CommandLine sub : uninterpolated().getSubcommands().values()) {
      for (OptionSpec o : sub.getCommandSpec().options()) {
        if (o.usageHelp() || o.versionHelp()) {
          continue;
        }
        assertThat(o.defaultValue()).as(sub.getCommandName() + " " + o.longestName())
            .isNotNull().contains("${env:HLS_");
      }
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void theComposeFileSetsOnlyWhatTheDemoReads() throws IOException {
    Map<String, Object> compose;
    try (var in = Files.newInputStream(ROOT.resolve("demo-app/deploy/compose.yaml"))) {
      compose = new Yaml().load(in);
    }
    Map<String, Object> services = (Map<String, Object>) compose.get("services");
    Set<String> reads = variablesTheDemoReads();
    int instances = 0;
    for (String name : List.of("hlskit-a", "hlskit-b")) {
      Map<String, Object> service = (Map<String, Object>) services.get(name);
      assertThat(service).as(name).isNotNull();
      assertThat((Map<String, Object>) service.get("build")).containsEntry("context", "../..");
      Map<String, Object> env = (Map<String, Object>) service.get("environment");
      for (String variable : env.keySet()) {
        if (!variable.startsWith("AWS_")) { // the AWS SDK's own
          assertThat(reads).as(name + " sets " + variable).contains(variable);
        }
      }
      assertThat(env).containsEntry("HLS_STORAGE", "s3").containsEntry("HLS_CHAT", "redis")
          .containsEntry("HLS_PORT", "8080").containsKey("HLS_S3_BUCKET");
      assertThat(env.get("HLS_REDIS_URL")).asString().startsWith("redis://redis:");
      assertThat(env.get("HLS_S3_ENDPOINT")).asString().startsWith("http://minio:");
      instances++;
    }
    assertThat(instances).isEqualTo(2);
    assertThat(services).containsKeys("minio", "bucket", "redis", "balancer", "worker");
    // uploads queued in Redis by web-only instances, worked by the worker; Redis persists them
    Map<String, Object> worker = (Map<String, Object>) services.get("worker");
    assertThat((List<String>) worker.get("command")).containsExactly("worker");
    Map<String, Object> workerEnv = (Map<String, Object>) worker.get("environment");
    assertThat(workerEnv).containsEntry("HLS_JOBS", "redis").containsEntry("HLS_STORAGE", "s3");
    assertThat(((Map<String, Object>) ((Map<String, Object>) services.get("hlskit-a"))
        .get("environment"))).containsEntry("HLS_TRANSCODE", "false");
    assertThat((String) ((Map<String, Object>) services.get("redis")).get("command"))
        .contains("--appendonly yes");
    // nothing published to other machines, no secret written down
    for (Map.Entry<String, Object> e : services.entrySet()) {
      List<String> ports = (List<String>) ((Map<String, Object>) e.getValue()).get("ports");
      if (ports != null) {
        assertThat(ports).as(e.getKey() + " ports").allSatisfy(
            port -> assertThat(port).startsWith("127.0.0.1:"));
      }
    }
    String text = Files.readString(ROOT.resolve("demo-app/deploy/compose.yaml"));
    assertThat(text).doesNotContain("change-me").contains("${HLS_S3_SECRET_KEY:?");
    Map<String, Object> env = (Map<String, Object>) ((Map<String, Object>) services
        .get("hlskit-a")).get("environment");
    Map<String, Object> balancer = (Map<String, Object>) services.get("balancer");
    String balancerAddress = (String) ((Map<String, Object>) ((Map<String, Object>) balancer
        .get("networks")).get("default")).get("ipv4_address");
    assertThat(env).as("the balancer is the trusted proxy")
        .containsEntry("HLS_TRUSTED_PROXIES", balancerAddress);
  }

  @Test
  void theTlsExampleRedirectsPlainHttpAndPassesTheClientAddress() throws IOException {
    String nginx = Files.readString(ROOT.resolve("demo-app/deploy/nginx-tls.conf"));
    assertThat(nginx).contains("listen 443 ssl").contains("ssl_certificate ")
        .contains("return 301 https://").contains("Strict-Transport-Security")
        .contains("location /ws/").contains("proxy_set_header Upgrade $http_upgrade");
    assertThat(nginx.split("X-Forwarded-For \\$proxy_add_x_forwarded_for", -1))
        .as("both locations name the client").hasSize(3);
  }

  @Test
  void theDockerfileRunsTheDemoWithAHealthCheckOnItsOwnPort() throws IOException {
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    String port = uninterpolated().getSubcommands().get("serve").getCommandSpec()
        .findOption("--port").defaultValue().replaceAll(".*:-(\\d+)}", "$1");

    assertThat(port).isEqualTo("8080");
    assertThat(dockerfile).contains("FROM eclipse-temurin:17-jdk AS build")
        .contains("FROM eclipse-temurin:17-jre")
        .contains("EXPOSE " + port)
        .contains("HLS_PORT=" + port)
        .contains("/api/health")
        .contains("COPY --from=build /src/demo-app/target/hlskit-demo.jar")
        .contains("ENTRYPOINT [\"java\", \"-jar\", \"/app/hlskit-demo.jar\"]");
    Matcher env = Pattern.compile("(HLS_[A-Z0-9_]+)=").matcher(dockerfile);
    while (env.find()) {
      assertThat(variablesTheDemoReads()).as("the Dockerfile sets " + env.group(1))
          .contains(env.group(1));
    }
    // every module the root POM lists (the dependency layer misses the others' POMs)
    Matcher modules = Pattern.compile("<module>([^<]+)</module>")
        .matcher(Files.readString(ROOT.resolve("pom.xml")));
    int count = 0;
    while (modules.find()) {
      String module = modules.group(1);
      assertThat(dockerfile).as("the build stage copies every module's POM")
          .contains("COPY " + module + "/pom.xml " + module + "/");
      count++;
    }
    assertThat(count).as("modules in the root POM").isEqualTo(8);
  }

  @Test
  void theTopLevelHoldsTheModulesAndWhatToolsNeedThere() throws IOException {
    Set<String> allowed = Set.of("hls-core", "hls-transcode", "hls-storage-fs", "hls-storage-s3",
        "hls-chat-redis", "hls-server-undertow", "demo-app", "benchmarks", "pom.xml",
        "README.md", "mvnw", "mvnw.cmd", ".mvn", ".ci", ".gitignore", "LICENSE", "Dockerfile",
        ".dockerignore", "render.yaml");
    // what a build, a run or an editor leaves, and git's own folder
    Set<String> local = Set.of(".git", "target", "streams", ".idea", ".vscode", ".DS_Store");
    try (var entries = Files.list(ROOT)) {
      assertThat(entries.map(p -> p.getFileName().toString()).filter(n -> !local.contains(n)))
          .as("the top level of the repository").allSatisfy(n -> assertThat(allowed).contains(n));
    }
  }

  @Test
  void theLoadBalancerPassesTheChatWebSocketAndTheHostWithItsPort() throws IOException {
    String nginx = Files.readString(ROOT.resolve("demo-app/deploy/nginx.conf"));
    assertThat(nginx).contains("server hlskit-a:8080").contains("server hlskit-b:8080")
        .contains("location /ws/").contains("proxy_set_header Upgrade $http_upgrade")
        .contains("proxy_set_header Host $http_host");
  }

  @Test
  @SuppressWarnings("unchecked")
  void theRenderBlueprintChecksHealthAndSetsOnlyWhatTheDemoReads() throws IOException {
    Map<String, Object> render;
    try (var in = Files.newInputStream(ROOT.resolve("render.yaml"))) {
      render = new Yaml().load(in);
    }
    Map<String, Object> web = ((List<Map<String, Object>>) render.get("services")).get(0);
    assertThat(web).containsEntry("runtime", "docker")
        .containsEntry("dockerfilePath", "./Dockerfile")
        .containsEntry("healthCheckPath", "/api/health");
    Set<String> reads = variablesTheDemoReads();
    for (Map<String, Object> env : (List<Map<String, Object>>) web.get("envVars")) {
      String key = (String) env.get("key");
      if (!key.equals("PORT")) { // Render's own
        assertThat(reads).as("render.yaml sets " + key).contains(key);
      }
    }
    assertThat((List<Map<String, Object>>) web.get("envVars"))
        .anySatisfy(e -> assertThat(e).containsEntry("key", "PORT").containsEntry("value", "8080"))
        .anySatisfy(e -> assertThat(e).containsEntry("key", "HLS_PORT")
            .containsEntry("value", "8080"));
    assertThat((Map<String, Object>) web.get("disk")).containsEntry("mountPath", "/data");
  }

  @Test
  @SuppressWarnings("unchecked")
  void theKubernetesManifestsProbeHealthAndSetOnlyWhatTheDemoReads() throws IOException {
    Map<String, Map<String, Object>> byKind = new java.util.HashMap<>();
    try (var in = Files.newInputStream(ROOT.resolve("demo-app/deploy/k8s/hlskit.yaml"))) {
      for (Object doc : new Yaml().loadAll(in)) {
        Map<String, Object> m = (Map<String, Object>) doc;
        String name = (String) ((Map<String, Object>) m.get("metadata")).get("name");
        byKind.put(m.get("kind") + (name.equals("hlskit-worker") ? "/worker" : ""), m);
      }
    }
    assertThat(byKind).containsKeys("ConfigMap", "Deployment", "Deployment/worker", "Service");
    Map<String, Object> config = (Map<String, Object>) byKind.get("ConfigMap").get("data");
    Set<String> reads = variablesTheDemoReads();
    for (String key : config.keySet()) {
      assertThat(reads).as("the ConfigMap sets " + key).contains(key);
    }
    assertThat(config).containsEntry("HLS_STORAGE", "s3").containsEntry("HLS_CHAT", "redis")
        .containsEntry("HLS_PORT", "8080").containsEntry("HLS_JOBS", "redis");
    Map<String, Object> worker = ((List<Map<String, Object>>) ((Map<String, Object>)
        ((Map<String, Object>) ((Map<String, Object>) byKind.get("Deployment/worker")
            .get("spec")).get("template")).get("spec")).get("containers")).get(0);
    assertThat((List<String>) worker.get("args")).containsExactly("worker");
    assertThat(((Map<String, Object>) ((Map<String, Object>) worker.get("readinessProbe"))
        .get("httpGet"))).containsEntry("path", "/api/health/ready");

    Map<String, Object> spec = (Map<String, Object>) byKind.get("Deployment").get("spec");
    assertThat((Integer) spec.get("replicas")).isGreaterThan(1);
    Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) spec.get("template"))
        .get("spec");
    Map<String, Object> container = ((List<Map<String, Object>>) pod.get("containers")).get(0);
    Map<String, Object> port = ((List<Map<String, Object>>) container.get("ports")).get(0);
    assertThat(port).containsEntry("containerPort", 8080).containsEntry("name", "http");
    Map<String, Object> ready = (Map<String, Object>) ((Map<String, Object>) container
        .get("readinessProbe")).get("httpGet");
    Map<String, Object> live = (Map<String, Object>) ((Map<String, Object>) container
        .get("livenessProbe")).get("httpGet");
    assertThat(ready).containsEntry("path", "/api/health/ready").containsEntry("port", "http");
    assertThat(live).containsEntry("path", "/api/health/live").containsEntry("port", "http");

    Map<String, Object> service = (Map<String, Object>) byKind.get("Service").get("spec");
    assertThat((Map<String, Object>) service.get("selector")).containsEntry("app", "hlskit");
  }
}
