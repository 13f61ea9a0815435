package io.ivsanalytics.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.ivsanalytics.config.Settings;
import io.ivsanalytics.model.report.ReportSummary;
import io.ivsanalytics.model.report.ReportTable;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class WeeklyEmailTest {
  @RegisterExtension
  static GreenMailExtension mail =
      new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
          .withConfiguration(
              GreenMailConfiguration.aConfig()
                  .withUser("reports@example.com", "reporter", "s3cret-pw"))
          .withPerMethodLifecycle(true);

  @TempDir Path dir;
  Path reports;

  @BeforeEach
  void reportFolder() throws Exception {
    reports = dir.resolve("reports");
    Files.createDirectories(reports);
    Map<String, ReportTable> tables = HtmlReportTest.tables();
    for (ReportTable t : tables.values()) {
      CsvReportWriter.write(t, reports);
    }
    Files.writeString(reports.resolve("report.html"), "<html></html>", StandardCharsets.UTF_8);
    ReportSummary base = HtmlReportTest.summary(tables);
    Map<String, ReportTable> core = new LinkedHashMap<>();
    core.put("takeover_failure_rates.csv", tables.get("takeover_failure_rates.csv"));
    core.put("bitrate_conformance.csv", tables.get("bitrate_conformance.csv"));
    new ReportSummary(
            base.from(),
            base.to(),
            base.windowLabel(),
            base.generatedAt(),
            base.sessions(),
            base.channels(),
            base.liveSessions(),
            base.videoTracks(),
            base.audioTracks(),
            base.fetchErrorsByCode(),
            base.fetchErrorsScope(),
            base.findings(),
            List.copyOf(tables.keySet()),
            core,
            base.previousWindowLabel(),
            base.headlines(),
            base.alerts(),
            base.alertThresholds())
        .write(reports);
  }

  Settings settings(String... lines) throws Exception {
    Path f = dir.resolve("mail.properties");
    Files.writeString(f, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    return Settings.load(f);
  }

  @Test
  void sendsHtmlSummaryAndEveryCsvOverSmtp() throws Exception {
    Settings s =
        settings(
            "smtp.host = 127.0.0.1",
            "smtp.port = " + mail.getSmtp().getPort(),
            "smtp.starttls = false",
            "mail.from = reports@example.com",
            "mail.to = team@example.com, lead@example.com");
    WeeklyEmail.Result r = WeeklyEmail.send(reports, s);
    assertTrue(r.sent());
    MimeMessage[] received = mail.getReceivedMessages();
    assertEquals(2, received.length, "one copy per recipient");
    assertMessage(received[0]);
  }

  @Test
  void authenticatesWithUserAndPassword() throws Exception {
    Settings s =
        settings(
            "smtp.host = 127.0.0.1",
            "smtp.port = " + mail.getSmtp().getPort(),
            "smtp.starttls = false",
            "smtp.user = reporter",
            "smtp.password = s3cret-pw",
            "mail.from = reports@example.com");
    WeeklyEmail.send(reports, s, "boss@example.com", null);
    MimeMessage[] received = mail.getReceivedMessages();
    assertEquals(1, received.length);
    assertEquals("boss@example.com", received[0].getAllRecipients()[0].toString());
    assertMessage(received[0]);

    Settings wrong =
        settings(
            "smtp.host = 127.0.0.1",
            "smtp.port = " + mail.getSmtp().getPort(),
            "smtp.starttls = false",
            "smtp.user = reporter",
            "smtp.password = wrong",
            "mail.from = reports@example.com");
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> WeeklyEmail.send(reports, wrong, "boss@example.com", null));
    assertFalse(
        e.getMessage().contains("wrong"),
        "the password must not appear in errors: " + e.getMessage());
    assertEquals(1, mail.getReceivedMessages().length);
  }

  @Test
  void withoutSmtpHostWritesAnEmlFile() throws Exception {
    WeeklyEmail.Result r = WeeklyEmail.send(reports, settings("mail.to = team@example.com"));
    assertFalse(r.sent());
    assertEquals(reports.resolve(WeeklyEmail.DEFAULT_EML), r.eml());
    try (InputStream in = Files.newInputStream(r.eml())) {
      MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), in);
      assertMessage(m);
      assertEquals("team@example.com", m.getAllRecipients()[0].toString());
    }
    assertEquals(0, mail.getReceivedMessages().length);
  }

  @Test
  void missingRecipientIsAConfigurationError() throws Exception {
    Settings s =
        settings(
            "smtp.host = 127.0.0.1",
            "smtp.port = " + mail.getSmtp().getPort(),
            "mail.from = a@example.com");
    Settings.ConfigException e =
        assertThrows(Settings.ConfigException.class, () -> WeeklyEmail.send(reports, s));
    assertTrue(e.getMessage().contains("mail.to"), e.getMessage());
  }

  void assertMessage(MimeMessage m) throws Exception {
    assertEquals("IVS weekly report: 2024-05-06 \u2013 2024-05-12 (UTC)", m.getSubject());
    assertTrue(m.getContentType().startsWith("multipart/mixed"), m.getContentType());
    Multipart mp = (Multipart) m.getContent();
    BodyPart body = mp.getBodyPart(0);
    assertTrue(body.isMimeType("text/html"), body.getContentType());
    String html = (String) body.getContent();
    assertTrue(
        html.contains("ADVANCED_HD has the highest takeover failure rate: 12.5% (3 of 24)."), html);
    assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assertFalse(html.contains("<script>"));
    assertFalse(html.contains("<svg"));
    assertTrue(html.contains("Takeover failure rates"));

    Map<String, String> attachments = new TreeMap<>();
    for (int i = 1; i < mp.getCount(); i++) {
      BodyPart p = mp.getBodyPart(i);
      assertEquals(Part.ATTACHMENT, p.getDisposition());
      assertTrue(
          p.getContentType().replace(" ", "").toLowerCase().startsWith("text/csv;charset=utf-8"),
          p.getContentType());
      try (InputStream in = p.getInputStream()) {
        attachments.put(p.getFileName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    Map<String, String> expected = new TreeMap<>();
    for (Path csv : WeeklyEmail.csvFiles(reports)) {
      expected.put(csv.getFileName().toString(), Files.readString(csv, StandardCharsets.UTF_8));
    }
    assertEquals(5, expected.size());
    assertEquals(expected, attachments);
  }
}
