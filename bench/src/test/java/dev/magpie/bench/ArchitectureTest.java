package dev.magpie.bench;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The house rules of docs/architecture.md, checked on the compiled main classes of every module
 * (this module's tests see them all). Maven's enforcer checks the same rules between modules' POMs;
 * this test checks them in the code, and adds the one Maven cannot see: no cycle between packages.
 */
class ArchitectureTest {
  private static final String[] BENCH_ONLY = {
    "org.openjdk.jmh..", "com.github.jelmerk..", "net.openhft..", "org.knowm.xchart.."
  };

  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    // Main classes only: in a reactor build the other modules arrive as jars (their tests as
    // -tests.jar), in an IDE or a partial build as target/classes directories.
    ImportOption mainClassesOnly =
        location ->
            !location.contains("/test-classes/")
                && !location.contains("-tests.jar")
                && !location.contains("/jmh_generated/");
    classes =
        new ClassFileImporter().withImportOption(mainClassesOnly).importPackages("dev.magpie");
    if (classes.size() < 300) {
      throw new IllegalStateException(
          "found only "
              + classes.size()
              + " Magpie classes: the rules would check next to nothing");
    }
  }

  @Test
  void noPackageReachesItselfThroughOthers() {
    slices().matching("dev.magpie.(**)").should().beFreeOfCycles().check(classes);
  }

  @Test
  void engineUsesNoOtherModuleNorTransportNorCommandLine() {
    noClasses()
        .that()
        .resideInAPackage("dev.magpie.engine..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.magpie.api..",
            "dev.magpie.ingest..",
            "dev.magpie.learn..",
            "dev.magpie.server..",
            "dev.magpie.client..",
            "dev.magpie.cli..",
            "dev.magpie.bench..",
            "dev.magpie.cluster..",
            "io.grpc..",
            "picocli..",
            "org.apache.kafka..")
        .check(classes);
  }

  @Test
  void theClusterModuleUsesEngineAndKafkaOnly() {
    noClasses()
        .that()
        .resideInAPackage("dev.magpie.cluster..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.magpie.api..",
            "dev.magpie.ingest..",
            "dev.magpie.learn..",
            "dev.magpie.server..",
            "dev.magpie.client..",
            "dev.magpie.cli..",
            "dev.magpie.bench..",
            "io.grpc..",
            "picocli..")
        .check(classes);
  }

  @Test
  void serverUsesApiAndEngineOnly() {
    noClasses()
        .that()
        .resideInAPackage("dev.magpie.server..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.magpie.ingest..",
            "dev.magpie.learn..",
            "dev.magpie.client..",
            "dev.magpie.cli..",
            "dev.magpie.bench..",
            "dev.magpie.samples..",
            "picocli..")
        .check(classes);
  }

  @Test
  void ingestAndLearnAreLibrariesWithoutTransportOrCommandLine() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.magpie.ingest..", "dev.magpie.learn..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.magpie.api..",
            "dev.magpie.server..",
            "dev.magpie.client..",
            "dev.magpie.cli..",
            "dev.magpie.bench..",
            "io.grpc..",
            "picocli..")
        .check(classes);
  }

  @Test
  void ingestKnowsNothingOfTraining() {
    noClasses()
        .that()
        .resideInAPackage("dev.magpie.ingest..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.magpie.learn..")
        .check(classes);
  }

  @Test
  void onlyTheCommandLineAndTheHarnessUsePicocli() {
    noClasses()
        .that()
        .resideOutsideOfPackages("dev.magpie.cli..", "dev.magpie.bench..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("picocli..")
        .check(classes);
  }

  @Test
  void onlyTheHarnessUsesBenchmarkLibraries() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.magpie.bench..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(BENCH_ONLY)
        .check(classes);
  }
}
