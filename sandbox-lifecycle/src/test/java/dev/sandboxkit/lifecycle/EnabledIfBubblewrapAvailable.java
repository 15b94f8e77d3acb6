package dev.sandboxkit.lifecycle;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the test only where bubblewrap can run: Linux with {@code bwrap} installed and the guest jar
 * built. Otherwise the test is skipped with the reason — except when the environment variable
 * {@code CI=true} (or {@code 1}), where a missing prerequisite fails the test instead (CI installs bwrap).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(BubblewrapAvailableCondition.class)
public @interface EnabledIfBubblewrapAvailable {}
