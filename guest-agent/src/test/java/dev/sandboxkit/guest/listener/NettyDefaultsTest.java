package dev.sandboxkit.guest.listener;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.util.internal.MacAddressUtil;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class NettyDefaultsTest {
  @Test
  void setsAMachineIdAndAProcessIdWhenAbsent() {
    Properties p = new Properties();
    NettyDefaults.apply(p, 0x0102030405060708L, 4242);
    assertEquals("01:02:03:04:05:06:07:08", p.getProperty("io.netty.machineId"));
    assertEquals("4242", p.getProperty("io.netty.processId"));
    assertEquals("false", p.getProperty("io.netty.jfr.enabled"), "Netty's JFR probe is off");
  }

  @Test
  void keepsValuesAlreadySet() {
    Properties p = new Properties();
    p.setProperty("io.netty.machineId", "aa:bb:cc:dd:ee:ff");
    p.setProperty("io.netty.processId", "7");
    p.setProperty("io.netty.jfr.enabled", "true");
    NettyDefaults.apply(p, 1, 4242);
    assertEquals("true", p.getProperty("io.netty.jfr.enabled"));
    assertEquals("aa:bb:cc:dd:ee:ff", p.getProperty("io.netty.machineId"));
    assertEquals("7", p.getProperty("io.netty.processId"));
  }

  @Test
  void aNegativeProcessIdIsLeftToNetty() {
    Properties p = new Properties();
    NettyDefaults.apply(p, 1, -1);
    assertNull(p.getProperty("io.netty.processId"));
  }

  @Test
  void theProcessIdIsOneNettyAccepts() {
    NettyDefaults.apply();
    int id = Integer.parseInt(System.getProperty("io.netty.processId"));
    org.junit.jupiter.api.Assertions.assertTrue(id >= 0, "Netty rejects negative process ids: " + id);
  }

  @Test
  void theMachineIdIsOneNettyAccepts() {
    for (long v : new long[] {0, -1, 0x00ff00ff00ff00ffL, Long.MIN_VALUE, 0x1234_5678_9abc_def0L}) {
      byte[] expected = new byte[8];
      for (int i = 0; i < 8; i++) {
        expected[i] = (byte) (v >>> (56 - 8 * i));
      }
      assertArrayEquals(expected, MacAddressUtil.parseMAC(NettyDefaults.machineId(v)), Long.toHexString(v));
    }
  }

  @Test
  void theProcessWideDefaultsAreApplied() {
    NettyDefaults.apply();
    assertEquals(8, MacAddressUtil.parseMAC(System.getProperty("io.netty.machineId")).length);
  }
}
