package dev.magpie.cluster.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests in {@code deploy/kubernetes}, checked without a cluster: every document
 * parses into its typed object, applies to fabric8's mock API server and reads back the same, and
 * the pieces agree with one another: one shard count in the build Job, the StatefulSets, the topic
 * and the router; the router lists every shard pod of every group by the name the headless Service
 * gives it, on the port the pods listen on; probes are gRPC health checks on that port; each pod
 * learns its shard from its ordinal; volumes are mounted where the commands read them; groups keep
 * apart; the update log is named alike everywhere.
 */
class DeployManifestsTest {
  private static final Path DIR = Path.of("..", "deploy", "kubernetes");
  private static final String NAMESPACE = "magpie";
  private static final int GRPC = 7070;

  private KubernetesMockServer server;
  private KubernetesClient client;

  /** Strimzi's custom resources, as its operator's CustomResourceDefinitions declare them. */
  private static final Map<String, CustomResourceDefinitionContext> STRIMZI = new HashMap<>();

  static {
    for (String kind : List.of("Kafka", "KafkaNodePool", "KafkaTopic")) {
      STRIMZI.put(
          kind,
          new CustomResourceDefinitionContext.Builder()
              .withGroup("kafka.strimzi.io")
              .withVersion("v1beta2")
              .withKind(kind)
              .withPlural(kind.toLowerCase(Locale.ROOT) + "s")
              .withScope("Namespaced")
              .build());
    }
  }

  @BeforeEach
  void startMockApiServer() {
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(List.copyOf(STRIMZI.values())),
            false);
    server.init();
    client = server.createClient();
  }

  @AfterEach
  void stopMockApiServer() {
    client.close();
    server.destroy();
  }

  private List<HasMetadata> load(String file) throws IOException {
    try (InputStream in = Files.newInputStream(DIR.resolve(file))) {
      return client.load(in).items();
    }
  }

  private static <T extends HasMetadata> List<T> only(List<HasMetadata> all, Class<T> type) {
    List<T> out = new ArrayList<>();
    for (HasMetadata m : all) {
      if (type.isInstance(m)) {
        out.add(type.cast(m));
      }
    }
    return out;
  }

  private static GenericKubernetesResource custom(List<HasMetadata> all, String kind) {
    for (HasMetadata m : all) {
      if (m.getKind().equals(kind)) {
        assertTrue(m instanceof GenericKubernetesResource, kind + " parses as a custom resource");
        return (GenericKubernetesResource) m;
      }
    }
    throw new AssertionError("no " + kind);
  }

  private static String env(Container c, String name) {
    for (EnvVar e : c.getEnv()) {
      if (e.getName().equals(name)) {
        return e.getValue() != null
            ? e.getValue()
            : "fieldRef:" + e.getValueFrom().getFieldRef().getFieldPath();
      }
    }
    throw new AssertionError(c.getName() + " has no env " + name);
  }

  /** The value of "--name=value" among {@code args}. */
  private static List<String> flag(List<String> args, String name) {
    List<String> out = new ArrayList<>();
    for (String a : args) {
      if (a.startsWith(name + "=")) {
        out.add(a.substring(name.length() + 1));
      }
    }
    return out;
  }

  private static void grpcHealth(Probe probe, String what) {
    assertNotNull(probe, what);
    assertNotNull(probe.getGrpc(), what + " is a gRPC health check");
    assertEquals(GRPC, probe.getGrpc().getPort(), what + " port");
  }

  private static int containerPort(Container c, String name) {
    for (ContainerPort p : c.getPorts()) {
      if (name.equals(p.getName())) {
        return p.getContainerPort();
      }
    }
    throw new AssertionError(c.getName() + " has no port " + name);
  }

  private static Set<String> mounts(Container c) {
    Set<String> out = new HashSet<>();
    for (VolumeMount m : c.getVolumeMounts()) {
      out.add(m.getName() + ":" + m.getMountPath());
    }
    return out;
  }

  @Test
  void theManifestsParseApplyAndAgree() throws IOException {
    List<HasMetadata> all = new ArrayList<>();
    for (String file :
        List.of("storage.yaml", "kafka.yaml", "build-job.yaml", "shards.yaml", "router.yaml")) {
      all.addAll(load(file));
    }

    // The update log: Strimzi resources, one partition per shard, acks=all that means two copies.
    GenericKubernetesResource kafka = custom(all, "Kafka");
    assertEquals("kafka.strimzi.io/v1beta2", kafka.getApiVersion());
    GenericKubernetesResource topic = custom(all, "KafkaTopic");
    assertEquals(
        kafka.getMetadata().getName(), topic.getMetadata().getLabels().get("strimzi.io/cluster"));
    int partitions = ((Number) topic.<Object>get("spec", "partitions")).intValue();
    assertEquals(
        2,
        ((Number) kafka.<Object>get("spec", "kafka", "config", "min.insync.replicas")).intValue());
    String bootstrap =
        kafka.getMetadata().getName() + "-kafka-bootstrap." + NAMESPACE + ".svc:9092";

    // The build: an Indexed Job, a completion per shard, writing where the shard pods copy from.
    Job build = only(all, Job.class).getFirst();
    assertEquals("Indexed", build.getSpec().getCompletionMode());
    int shards = build.getSpec().getCompletions();
    assertEquals(partitions, shards, "one topic partition per shard");
    assertEquals(Integer.bitCount(shards), 1, "a power of two of shards");
    Container load = build.getSpec().getTemplate().getSpec().getContainers().getFirst();
    assertEquals(String.valueOf(shards), env(load, "MAGPIE_SHARDS"));
    assertEquals(bootstrap, env(load, "MAGPIE_UPDATES_KAFKA"));
    assertEquals(topic.getMetadata().getName(), env(load, "MAGPIE_UPDATES_TOPIC"));
    String loadCommand = String.join(" ", load.getArgs());
    assertTrue(
        loadCommand.contains("--shard \"${JOB_COMPLETION_INDEX}/${MAGPIE_SHARDS}\""), loadCommand);
    assertTrue(loadCommand.contains("/shared/shards/shard-$(printf %04d"), loadCommand);
    assertTrue(mounts(load).contains("shared:/shared"));
    String sharedClaim =
        build
            .getSpec()
            .getTemplate()
            .getSpec()
            .getVolumes()
            .getFirst()
            .getPersistentVolumeClaim()
            .getClaimName();
    PersistentVolumeClaim shared = only(all, PersistentVolumeClaim.class).getFirst();
    assertEquals(sharedClaim, shared.getMetadata().getName());
    assertEquals(List.of("ReadWriteMany"), shared.getSpec().getAccessModes());

    // The shard groups: a StatefulSet each over the headless Service, ordinal = shard.
    Service headless =
        only(all, Service.class).stream()
            .filter(s -> "None".equals(s.getSpec().getClusterIP()))
            .findFirst()
            .orElseThrow();
    List<StatefulSet> groups = only(all, StatefulSet.class);
    assertTrue(groups.size() >= 2, "at least two replica groups");
    Set<String> shardAddresses = new HashSet<>();
    Set<String> groupNames = new HashSet<>();
    for (StatefulSet group : groups) {
      String name = group.getMetadata().getName();
      assertEquals(headless.getMetadata().getName(), group.getSpec().getServiceName(), name);
      assertEquals(shards, group.getSpec().getReplicas(), name + ": a pod per shard");
      PodSpec pod = group.getSpec().getTemplate().getSpec();
      Map<String, String> labels = group.getSpec().getTemplate().getMetadata().getLabels();
      assertTrue(
          headless.getSpec().getSelector().entrySet().stream()
              .allMatch(e -> e.getValue().equals(labels.get(e.getKey()))),
          name + "'s pods are behind the headless Service");
      String groupLabel = labels.get("magpie.dev/group");
      assertTrue(groupNames.add(groupLabel), "groups are told apart by label");
      var antiAffinity =
          pod.getAffinity()
              .getPodAntiAffinity()
              .getRequiredDuringSchedulingIgnoredDuringExecution();
      assertEquals("kubernetes.io/hostname", antiAffinity.getFirst().getTopologyKey());
      assertTrue(
          antiAffinity.getFirst().getLabelSelector().getMatchExpressions().stream()
              .anyMatch(
                  e ->
                      e.getKey().equals("magpie.dev/group")
                          && e.getOperator().equals("NotIn")
                          && e.getValues().equals(List.of(groupLabel))),
          name + " keeps off nodes of other groups");

      Container serve = pod.getContainers().getFirst();
      assertEquals("serve", serve.getArgs().getFirst());
      assertEquals(List.of(String.valueOf(GRPC)), flag(serve.getArgs(), "--port"));
      assertEquals(List.of("0.0.0.0"), flag(serve.getArgs(), "--host"));
      assertEquals(GRPC, containerPort(serve, "grpc"));
      assertEquals(
          Integer.parseInt(flag(serve.getArgs(), "--metrics-port").getFirst()),
          containerPort(serve, "metrics"));
      assertEquals(List.of("$(MAGPIE_UPDATES_KAFKA)"), flag(serve.getArgs(), "--updates-kafka"));
      assertEquals(bootstrap, env(serve, "MAGPIE_UPDATES_KAFKA"));
      assertEquals(List.of("$(MAGPIE_UPDATES_TOPIC)"), flag(serve.getArgs(), "--updates-topic"));
      assertEquals(topic.getMetadata().getName(), env(serve, "MAGPIE_UPDATES_TOPIC"));
      assertEquals("fieldRef:metadata.labels['apps.kubernetes.io/pod-index']", env(serve, "SHARD"));
      grpcHealth(serve.getLivenessProbe(), name + " liveness");
      grpcHealth(serve.getReadinessProbe(), name + " readiness");
      assertEquals("magpie.v1.Magpie", serve.getReadinessProbe().getGrpc().getService());
      grpcHealth(serve.getStartupProbe(), name + " startup");

      // The store: copied by the init container from the Job's output, by the pod's ordinal, to
      // the pod's own volume, which the server serves.
      Container copy = pod.getInitContainers().getFirst();
      assertEquals("fieldRef:metadata.labels['apps.kubernetes.io/pod-index']", env(copy, "SHARD"));
      String copyCommand = String.join(" ", copy.getArgs());
      assertTrue(
          copyCommand.contains("/shared/shards/shard-$(printf %04d \"${SHARD}\")"), copyCommand);
      assertTrue(copyCommand.contains("/data/store"), copyCommand);
      assertTrue(mounts(copy).contains("shared:/shared"));
      assertTrue(mounts(copy).contains("data:/data"));
      assertTrue(mounts(serve).contains("data:/data"));
      assertEquals(List.of("/data/store"), flag(serve.getArgs(), "--snapshot"));
      assertEquals(
          "data", group.getSpec().getVolumeClaimTemplates().getFirst().getMetadata().getName());
      assertEquals(
          sharedClaim, pod.getVolumes().getFirst().getPersistentVolumeClaim().getClaimName());

      for (int s = 0; s < shards; s++) {
        shardAddresses.add(
            name
                + "-"
                + s
                + "."
                + headless.getMetadata().getName()
                + "."
                + NAMESPACE
                + ".svc:"
                + GRPC
                + "@"
                + s);
      }
      PodDisruptionBudget budget =
          only(all, PodDisruptionBudget.class).stream()
              .filter(b -> b.getMetadata().getName().equals(name))
              .findFirst()
              .orElseThrow(() -> new AssertionError(name + " has no PodDisruptionBudget"));
      assertEquals(1, budget.getSpec().getMaxUnavailable().getIntVal());
      assertEquals(
          group.getSpec().getSelector().getMatchLabels(),
          budget.getSpec().getSelector().getMatchLabels());
    }

    // The router: every shard's replicas, one per group, by stable pod name, and the update log.
    Deployment routerDeployment = only(all, Deployment.class).getFirst();
    Container route = routerDeployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
    assertEquals("route", route.getArgs().getFirst());
    Set<String> listed = new HashSet<>();
    Pattern shardFlag = Pattern.compile("(\\d+)=(.+)");
    for (String value : flag(route.getArgs(), "--shard")) {
      Matcher m = shardFlag.matcher(value);
      assertTrue(m.matches(), value);
      for (String address : m.group(2).split(",")) {
        listed.add(address + "@" + m.group(1));
      }
    }
    assertEquals(shardAddresses, listed, "the router lists each shard pod of each group once");
    assertEquals(bootstrap, env(route, "MAGPIE_UPDATES_KAFKA"));
    assertEquals(topic.getMetadata().getName(), env(route, "MAGPIE_UPDATES_TOPIC"));
    grpcHealth(route.getReadinessProbe(), "router readiness");
    grpcHealth(route.getLivenessProbe(), "router liveness");
    Service front =
        only(all, Service.class).stream()
            .filter(s -> !"None".equals(s.getSpec().getClusterIP()))
            .findFirst()
            .orElseThrow();
    assertEquals(GRPC, front.getSpec().getPorts().getFirst().getPort());
    assertEquals(
        routerDeployment.getSpec().getSelector().getMatchLabels(), front.getSpec().getSelector());

    // Applied to the API server, every object reads back as written.
    for (HasMetadata m : all) {
      HasMetadata created;
      if (m instanceof GenericKubernetesResource g) {
        created =
            client
                .genericKubernetesResources(STRIMZI.get(g.getKind()))
                .inNamespace(NAMESPACE)
                .resource(g)
                .create();
      } else {
        created = client.resource(m).create();
      }
      assertEquals(m.getMetadata().getName(), created.getMetadata().getName());
    }
    StatefulSet readBack =
        client
            .apps()
            .statefulSets()
            .inNamespace(NAMESPACE)
            .withName(groups.getFirst().getMetadata().getName())
            .get();
    assertEquals(groups.getFirst().getSpec(), readBack.getSpec());
    assertEquals(
        routerDeployment.getSpec(),
        client
            .apps()
            .deployments()
            .inNamespace(NAMESPACE)
            .withName("magpie-router")
            .get()
            .getSpec());
    assertFalse(
        client
            .genericKubernetesResources(STRIMZI.get("KafkaTopic"))
            .inNamespace(NAMESPACE)
            .list()
            .getItems()
            .isEmpty());
  }
}
