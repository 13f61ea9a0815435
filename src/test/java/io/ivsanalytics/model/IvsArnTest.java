package io.ivsanalytics.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IvsArnTest {
  @Test
  void parsesChannelArn() {
    IvsArn a = IvsArn.parseChannel("arn:aws:ivs:us-west-2:123456789012:channel/abcdEFGH1234");
    assertEquals("us-west-2", a.region());
    assertEquals("123456789012", a.accountId());
    assertEquals("abcdEFGH1234", a.resourceId());
    assertEquals("123456789012/us-west-2", a.accountRegion());
    assertEquals("arn:aws:ivs:us-west-2:123456789012:channel/abcdEFGH1234", a.format());
  }

  @Test
  void rejectsMalformedArnQuotingTheValue() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> IvsArn.parseChannel("arn:aws:ivs:us-west-2:1234:channel/x"));
    assertTrue(e.getMessage().contains("'arn:aws:ivs:us-west-2:1234:channel/x'"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> IvsArn.parseChannel("arn:aws:ivs:us-west-2:123456789012:stream-key/abcd"));
    assertNull(IvsArn.tryParse("channel/abcd"));
  }
}
