package dev.sandboxkit.cli;

import static dev.sandboxkit.cli.Asserts.assertContains;
import static dev.sandboxkit.cli.Asserts.assertContainsAny;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

  @Test
  void parsesEachUnit() {
    assertEquals(Duration.ofMillis(500), DurationConverter.parse("500ms"));
    assertEquals(Duration.ofSeconds(30), DurationConverter.parse("30s"));
    assertEquals(Duration.ofMinutes(2), DurationConverter.parse("2m"));
    assertEquals(Duration.ofHours(1), DurationConverter.parse("1h"));
    assertEquals(Duration.ZERO, DurationConverter.parse("0"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"30", "", "s", "-5s", "1.5s", "30sec", "2 m", "1d", "abc", "99999999999999h"})
  void rejectsEverythingElseWithTheAcceptedForms(String bad) {
    TypeConversionException e = assertThrows(TypeConversionException.class, () -> DurationConverter.parse(bad));
    assertContainsAny(e.getMessage(), "500ms, 30s, 2m, 1h", "maximum timeout");
  }

  @Test
  void rejectsMoreThanTheWireCanCarry() {
    TypeConversionException e = assertThrows(TypeConversionException.class,
        () -> DurationConverter.parse("4294968s"));
    assertContains(e.getMessage(), "4294967294 ms");
    assertEquals(Duration.ofMillis(4294967294L), DurationConverter.parse("4294967294ms"));
  }

  @Test
  void formatsForMessages() {
    assertEquals("5s", DurationConverter.format(Duration.ofSeconds(5)));
    assertEquals("1500ms", DurationConverter.format(Duration.ofMillis(1500)));
    assertEquals("2m", DurationConverter.format(Duration.ofMinutes(2)));
    assertEquals("3h", DurationConverter.format(Duration.ofHours(3)));
  }
}
