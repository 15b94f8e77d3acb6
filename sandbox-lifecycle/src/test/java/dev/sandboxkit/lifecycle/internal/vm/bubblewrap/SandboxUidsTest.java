package dev.sandboxkit.lifecycle.internal.vm.bubblewrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.SandboxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14.2: one workload uid per sandbox, freed at teardown, reclaimed from a crashed run. */
class SandboxUidsTest {
  @TempDir Path temp;

  SandboxUids uids(int count) {
    return new SandboxUids(temp.resolve("registry"), 5_000, count);
  }

  Path run(String name) throws Exception {
    return Files.createDirectories(temp.resolve("state").resolve(name));
  }

  @Test
  void concurrentRunsNeverShareAUid() throws Exception {
    SandboxUids u = uids(64);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<SandboxUids.Lease>> f = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        Path dir = run("r" + i);
        f.add(pool.submit(() -> u.acquire(dir)));
      }
      Set<Long> seen = new HashSet<>();
      for (Future<SandboxUids.Lease> x : f) {
        long uid = x.get(30, TimeUnit.SECONDS).uid();
        assertTrue(uid >= 5_000 && uid < 5_064, "in the range: " + uid);
        assertTrue(seen.add(uid), "uid " + uid + " given twice");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void successiveRunsGetAnotherUidUntilTheRangeWraps() throws Exception {
    SandboxUids u = uids(3);
    List<Long> got = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      SandboxUids.Lease l = u.acquire(run("s" + i));
      got.add(l.uid());
      l.close(); // torn down before the next one starts
    }
    assertEquals(List.of(5_000L, 5_001L, 5_002L, 5_000L), got);
  }

  @Test
  void aReleasedUidIsFreeAgain() throws Exception {
    SandboxUids u = uids(1);
    SandboxUids.Lease a = u.acquire(run("a"));
    SandboxException busy = assertThrows(SandboxException.class, () -> u.acquire(run("b")));
    assertEquals(FailurePhase.LAUNCH_FAILED, busy.phase());
    assertTrue(busy.getMessage().contains("in use"), busy.getMessage());
    a.close();
    assertFalse(Files.exists(a.file()));
    assertEquals(a.uid(), u.acquire(run("b")).uid());
  }

  @Test
  void aCrashedRunsUidIsReclaimedOnceItsRunFolderIsGone() throws Exception {
    SandboxUids u = uids(1);
    Path crashed = run("crashed");
    SandboxUids.Lease a = u.acquire(crashed); // never closed: the JVM died
    assertThrows(SandboxException.class, () -> u.acquire(run("next")), "kept while its run folder exists");
    Files.delete(crashed); // reconcile or cleanup removed the run
    SandboxUids.Lease b = u.acquire(run("next"));
    assertEquals(a.uid(), b.uid());
    a.close(); // the dead run's late release does not free the new holder's uid
    assertTrue(Files.exists(b.file()));
    assertThrows(SandboxException.class, () -> u.acquire(run("third")));
  }

  @Test
  void anUnusableRegistryFailsTheLaunchWithItsPath() throws Exception {
    Path file = Files.writeString(temp.resolve("not-a-folder"), "x");
    SandboxUids u = new SandboxUids(file.resolve("uids"), 5_000, 4);
    SandboxException e = assertThrows(SandboxException.class, () -> u.acquire(run("a")));
    assertEquals(FailurePhase.LAUNCH_FAILED, e.phase());
    assertTrue(e.getMessage().contains(file.resolve("uids").toString()), e.getMessage());
  }

  @Test
  void theRangeIsOutsideUsersAndNeverRoot() {
    assertFalse(SandboxUids.inRange(0));
    assertFalse(SandboxUids.inRange(65534));
    assertTrue(SandboxUids.inRange(SandboxUids.BASE));
    assertFalse(SandboxUids.inRange(BubblewrapDriver.PROBE_UID), "the probe uid is never given to a run");
    assertNotEquals(0, SandboxUids.BASE);
  }
}
