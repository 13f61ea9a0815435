package io.ivsanalytics.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HtmlTest {
  @Test
  void escapesTheFiveSpecialCharacters() {
    assertEquals("&lt;script&gt;alert(1)&lt;/script&gt;", Html.escape("<script>alert(1)</script>"));
    assertEquals(
        "Tag &quot;quoted&quot; &amp; &#39;single&#39;", Html.escape("Tag \"quoted\" & 'single'"));
    assertEquals("&amp;amp;", Html.escape("&amp;"));
    assertEquals("", Html.escape(null));
    assertEquals("Ünïcödé 12", Html.escape("Ünïcödé 12"));
  }
}
