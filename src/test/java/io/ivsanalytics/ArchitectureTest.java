package io.ivsanalytics;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.ivsanalytics.cli.HostedMain;
import io.ivsanalytics.cli.Main;

/**
 * The package layers. At the bottom: {@code model} (with {@code model.report}, the computed report
 * types), {@code lake} (lake and local file access) and {@code config} (settings, usage errors,
 * dates, Spark session setup). Above them the stages {@code ingest}, {@code flatten}, {@code
 * reports}, the writers in {@code output} and the {@code simulator}, each depending only downward.
 * On top {@code cli}, which wires the stages together, and {@code bench}, which has its own
 * launcher; nothing depends on either, and the production entry points do not reach {@code bench}.
 * No cycle between packages; main code never depends on test code.
 */
@AnalyzeClasses(packages = "io.ivsanalytics", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  private static final String MODEL = "io.ivsanalytics.model..";
  private static final String LAKE = "io.ivsanalytics.lake..";
  private static final String CONFIG = "io.ivsanalytics.config..";

  @ArchTest
  static final ArchRule layers =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("Model")
          .definedBy(MODEL)
          .layer("Lake")
          .definedBy(LAKE)
          .layer("Config")
          .definedBy(CONFIG)
          .layer("Ingest")
          .definedBy("io.ivsanalytics.ingest..")
          .layer("Flatten")
          .definedBy("io.ivsanalytics.flatten..")
          .layer("Reports")
          .definedBy("io.ivsanalytics.reports..")
          .layer("Output")
          .definedBy("io.ivsanalytics.output..")
          .layer("Simulator")
          .definedBy("io.ivsanalytics.simulator..")
          .layer("Cli")
          .definedBy("io.ivsanalytics.cli..")
          .layer("Bench")
          .definedBy("io.ivsanalytics.bench..")
          // bottom
          .whereLayer("Model")
          .mayNotAccessAnyLayer()
          .whereLayer("Lake")
          .mayNotAccessAnyLayer()
          .whereLayer("Config")
          .mayOnlyAccessLayers("Lake")
          // stages and writers: only downward
          .whereLayer("Ingest")
          .mayOnlyAccessLayers("Model", "Lake", "Config")
          .whereLayer("Flatten")
          .mayOnlyAccessLayers("Model", "Lake", "Config")
          .whereLayer("Reports")
          .mayOnlyAccessLayers("Model", "Lake", "Config")
          .whereLayer("Output")
          .mayOnlyAccessLayers("Model", "Config")
          .whereLayer("Simulator")
          .mayOnlyAccessLayers("Model", "Lake", "Config")
          .whereLayer("Ingest")
          .mayOnlyBeAccessedByLayers("Cli", "Bench")
          .whereLayer("Flatten")
          .mayOnlyBeAccessedByLayers("Cli", "Bench")
          .whereLayer("Reports")
          .mayOnlyBeAccessedByLayers("Cli", "Bench")
          .whereLayer("Output")
          .mayOnlyBeAccessedByLayers("Cli", "Bench")
          .whereLayer("Simulator")
          .mayOnlyBeAccessedByLayers("Cli", "Bench")
          // top
          .whereLayer("Cli")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("Bench")
          .mayNotBeAccessedByAnyLayer();

  /** cli only wires stages: it never reaches into bench, not even through another package. */
  @ArchTest
  static final ArchRule productionEntryPointsDoNotReachBench =
      noClasses()
          .that()
          .belongToAnyOf(Main.class, HostedMain.class)
          .or()
          .resideInAPackage("io.ivsanalytics.cli..")
          .should()
          .transitivelyDependOnClassesThat()
          .resideInAPackage("io.ivsanalytics.bench..");

  @ArchTest
  static final ArchRule noCycles =
      slices().matching("io.ivsanalytics.(*)..").should().beFreeOfCycles();

  /** Test frameworks stay out of main code (the analysed classes are the main classes only). */
  @ArchTest
  static final ArchRule noTestLibrariesInMainCode =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.junit..", "com.tngtech.archunit..", "com.icegreen.greenmail..");

  /** Main classes never use a class compiled from src/test (same packages, other output folder). */
  @ArchTest
  static void mainCodeDoesNotDependOnTestCode(JavaClasses mainClasses) {
    JavaClasses everything = new ClassFileImporter().importPackages("io.ivsanalytics");
    ImportOption.DoNotIncludeTests mainOnly = new ImportOption.DoNotIncludeTests();
    DescribedPredicate<JavaClass> testCode =
        DescribedPredicate.describe(
            "test code",
            c -> c.getSource().map(s -> !mainOnly.includes(Location.of(s.getUri()))).orElse(false));
    if (mainClasses.isEmpty() || everything.stream().noneMatch(testCode)) {
      throw new AssertionError("the analysis must see both main and test classes");
    }
    noClasses()
        .that(DescribedPredicate.not(testCode))
        .should()
        .dependOnClassesThat(testCode)
        .check(everything);
  }
}
