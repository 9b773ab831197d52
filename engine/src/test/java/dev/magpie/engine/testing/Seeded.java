package dev.magpie.engine.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class whose tests take a {@link java.util.Random} parameter. Each test gets a fresh
 * seed (or {@code -Dmagpie.test.seed=N} to replay one), printed before the test runs and attached
 * to any failure with the line that reproduces it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(SeededRandomExtension.class)
public @interface Seeded {}
