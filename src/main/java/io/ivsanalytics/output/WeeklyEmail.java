package io.ivsanalytics.output;

import io.ivsanalytics.config.Settings;
import io.ivsanalytics.model.report.ReportSummary;
import jakarta.activation.DataHandler;
import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The weekly email: multipart/mixed with an HTML summary (window, totals, findings, takeover and
 * conformance tables) and every CSV of the report folder attached (text/csv; charset=UTF-8).
 *
 * <p>Sent over SMTP when {@code smtp.host} is set ({@code smtp.port}, {@code smtp.starttls}
 * (required when true), {@code smtp.user} and {@code smtp.password}, the latter best from {@code
 * IVS_ANALYTICS_SMTP_PASSWORD}); otherwise, or when an .eml path is given, written as an .eml file.
 * Recipients: {@code mail.to} (comma-separated) or the override; sender {@code mail.from}. The
 * subject is {@code mail.subject} followed by the window, prefixed with {@code [ALERT]} when an
 * alert fired; the alerts lead the body.
 */
public final class WeeklyEmail {
  private static final Logger LOG = LoggerFactory.getLogger(WeeklyEmail.class);
  public static final String DEFAULT_EML = "weekly-report.eml";
  private static final String FALLBACK_FROM = "ivs-analytics@localhost";

  /** Where the message went: sent over SMTP to {@code recipients}, or written to {@code eml}. */
  public record Result(boolean sent, String recipients, Path eml, String subject) {}

  public static Result send(Path reportsDir, Settings settings) {
    return send(reportsDir, settings, null, null);
  }

  /**
   * @param toOverride recipients instead of mail.to (null = setting)
   * @param emlOverride write the message to this file instead of sending (null = send when
   *     smtp.host is set, else write reportsDir/weekly-report.eml)
   */
  public static Result send(
      Path reportsDir, Settings settings, String toOverride, Path emlOverride) {
    ReportSummary summary = ReportSummary.read(reportsDir);
    String host = settings.get("smtp.host");
    String to = settings.get("mail.to", toOverride);
    String from = settings.get("mail.from");
    boolean smtp = host != null && emlOverride == null;
    if (smtp && (to == null || to.isBlank())) {
      throw new Settings.ConfigException(
          "mail.to is not set (or give --to): no recipient for the weekly email");
    }
    if (smtp && from == null) {
      throw new Settings.ConfigException(
          "mail.from is not set: the SMTP server needs a sender address");
    }
    Session session = smtp ? smtpSession(settings, host) : Session.getInstance(new Properties());
    String subject = subject(settings, summary);
    try {
      MimeMessage msg =
          build(session, reportsDir, summary, from == null ? FALLBACK_FROM : from, to, subject);
      if (smtp) {
        Transport.send(msg);
        LOG.info(
            "weekly email '{}' sent to {} via {}:{}", subject, to, host, settings.get("smtp.port"));
        return new Result(true, to, null, subject);
      }
      Path eml = emlOverride != null ? emlOverride : reportsDir.resolve(DEFAULT_EML);
      Path parent = eml.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      try (OutputStream out = Files.newOutputStream(eml)) {
        msg.writeTo(out);
      }
      LOG.info("weekly email '{}' written to {}", subject, eml);
      return new Result(false, to, eml, subject);
    } catch (MessagingException e) {
      throw new IllegalStateException(
          "weekly email failed"
              + (smtp ? " (SMTP " + host + ":" + settings.get("smtp.port") + ")" : "")
              + ": "
              + e.getMessage(),
          e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the weekly email: " + e.getMessage(), e);
    }
  }

  public static String subject(Settings settings, ReportSummary summary) {
    String prefix = summary.alerts() == null || summary.alerts().isEmpty() ? "" : "[ALERT] ";
    return prefix + settings.get("mail.subject") + ": " + summary.windowLabel();
  }

  /** The message: HTML body first, then the CSV files of {@code reportsDir} in name order. */
  public static MimeMessage build(
      Session session,
      Path reportsDir,
      ReportSummary summary,
      String from,
      String to,
      String subject)
      throws MessagingException, IOException {
    MimeMessage msg = new MimeMessage(session);
    msg.setFrom(address(from, "mail.from"));
    if (to != null && !to.isBlank()) {
      try {
        msg.setRecipients(Message.RecipientType.TO, InternetAddress.parse(to, true));
      } catch (AddressException e) {
        throw new Settings.ConfigException(
            "mail.to: not a valid address list: '" + to + "' (" + e.getMessage() + ")");
      }
    }
    msg.setSubject(subject, "UTF-8");
    msg.setSentDate(new Date());
    MimeMultipart mixed = new MimeMultipart("mixed");
    MimeBodyPart html = new MimeBodyPart();
    html.setText(HtmlReport.emailBody(summary), "UTF-8", "html");
    mixed.addBodyPart(html);
    for (Path csv : csvFiles(reportsDir)) {
      MimeBodyPart part = new MimeBodyPart();
      part.setDataHandler(
          new DataHandler(
              new ByteArrayDataSource(Files.readAllBytes(csv), "text/csv; charset=UTF-8")));
      part.setFileName(csv.getFileName().toString());
      part.setDisposition(MimeBodyPart.ATTACHMENT);
      mixed.addBodyPart(part);
    }
    msg.setContent(mixed);
    msg.saveChanges();
    return msg;
  }

  static List<Path> csvFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList();
    }
  }

  private static InternetAddress address(String value, String key) {
    try {
      return new InternetAddress(value, true);
    } catch (AddressException e) {
      throw new Settings.ConfigException(key + ": not a valid address: '" + value + "'");
    }
  }

  private static Session smtpSession(Settings settings, String host) {
    Properties p = new Properties();
    p.put("mail.smtp.host", host);
    p.put("mail.smtp.port", String.valueOf(settings.getInt("smtp.port")));
    boolean starttls = settings.getBoolean("smtp.starttls");
    p.put("mail.smtp.starttls.enable", String.valueOf(starttls));
    p.put("mail.smtp.starttls.required", String.valueOf(starttls));
    p.put("mail.smtp.connectiontimeout", "30000");
    p.put("mail.smtp.timeout", "60000");
    p.put("mail.smtp.writetimeout", "60000");
    String user = settings.get("smtp.user");
    if (user == null) {
      return Session.getInstance(p);
    }
    String password = settings.get("smtp.password");
    if (password == null) {
      throw new Settings.ConfigException(
          "smtp.user is set but no password: set "
              + Settings.envName("smtp.password")
              + " in the environment");
    }
    p.put("mail.smtp.auth", "true");
    return Session.getInstance(
        p,
        new Authenticator() {
          @Override
          protected PasswordAuthentication getPasswordAuthentication() {
            return new PasswordAuthentication(user, password);
          }
        });
  }

  private WeeklyEmail() {}
}
