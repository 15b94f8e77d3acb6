package dev.sandboxkit.guest.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The job identity the host asks for (root host, issue 14.1): parsed strictly, never root. */
class JobUserTest {
  @Test
  void unsetMeansTheAgentsOwnIdentity() throws IOException {
    assertEquals(Optional.empty(), JobUser.parse(null));
  }

  @Test
  void aJobRunsThroughSetprivWithoutGroupsCapabilitiesOrNewPrivileges() throws IOException {
    JobUser u = JobUser.parse("1900000007:65534").orElseThrow();
    assertEquals(List.of("/usr/bin/setpriv", "--reuid=1900000007", "--regid=65534", "--clear-groups",
        "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--", "/bin/sh", "-c", "id"),
        u.wrap(PosixJobLauncher.command("id")));
  }

  @Test
  void aMalformedOrRootIdentityFailsTheJob() {
    for (String bad : List.of("", "0:65534", "1000:0", "1000", "1000:1000:1", "-1:5", "x:y", "1000:65534 ",
        "12345678901:1")) {
      IOException e = assertThrows(IOException.class, () -> JobUser.parse(bad), bad);
      assertTrue(e.getMessage().contains(JobUser.ENV), e.getMessage());
    }
  }
}
