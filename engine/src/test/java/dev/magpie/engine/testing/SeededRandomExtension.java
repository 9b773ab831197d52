package dev.magpie.engine.testing;

import java.util.Random;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Supplies seeded {@link Random}s to tests and reports the seed of a failing one. See {@link
 * Seeded}.
 */
public final class SeededRandomExtension
    implements ParameterResolver, TestExecutionExceptionHandler {
  private static final String PROPERTY = "magpie.test.seed";
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(SeededRandomExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Random.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    long seed = seed(context);
    return new Random(seed);
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure)
      throws Throwable {
    Long seed = context.getStore(NS).get("seed", Long.class);
    if (seed != null) {
      failure.addSuppressed(
          new AssertionError(
              "reproduce with: ./mvnw verify -pl "
                  + module()
                  + " -Dtest="
                  + context.getRequiredTestClass().getSimpleName()
                  + "#"
                  + context.getRequiredTestMethod().getName()
                  + " -D"
                  + PROPERTY
                  + "="
                  + seed));
    }
    throw failure;
  }

  private static long seed(ExtensionContext context) {
    return context
        .getStore(NS)
        .computeIfAbsent(
            "seed",
            k -> {
              String fixed = System.getProperty(PROPERTY);
              long seed =
                  fixed != null && !fixed.isBlank()
                      ? Long.parseLong(fixed)
                      : new Random().nextLong();
              System.out.println(
                  "[seed] "
                      + context.getRequiredTestClass().getSimpleName()
                      + "#"
                      + context.getRequiredTestMethod().getName()
                      + " -D"
                      + PROPERTY
                      + "="
                      + seed);
              return seed;
            },
            Long.class);
  }

  private static String module() {
    String dir = System.getProperty("user.dir", "");
    int slash = dir.lastIndexOf('/');
    return slash < 0 ? dir : dir.substring(slash + 1);
  }
}
