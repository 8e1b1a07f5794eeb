package dev.pitcrew.forge;

import dev.pitcrew.forge.TestResult.Status;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads JUnit XML reports (Surefire, Gradle, jest-junit, pytest {@code --junitxml}) as a stream, so
 * a large report never sits in memory as text or a DOM, and reads them out of a zip (a CI artifact)
 * within a byte and entry budget. Surefire's {@code flakyFailure}/{@code flakyError} (a failure
 * that passed on a re-run inside the same run) become one failed result per flaky failure before
 * the final one.
 */
public final class JUnitXml {
  /** One report with more test cases than this is cut there: no real suite is that large. */
  static final int MAX_CASES_PER_REPORT = 100_000;

  private static final XMLInputFactory XML = factory();

  private JUnitXml() {}

  private static XMLInputFactory factory() {
    // the JDK's own parser, whatever else is on the class path; no DTDs, no external entities
    // (read() also refuses a DOCTYPE outright: nextTag() does not skip one)
    XMLInputFactory f = XMLInputFactory.newDefaultFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_COALESCING, false);
    return f;
  }

  /**
   * The test cases of one report. A document whose root is not {@code <testsuite>} or {@code
   * <testsuites>} is not a JUnit report and gives none; so does malformed XML (a half-written
   * report says nothing reliable). An {@link IOException} of the stream itself is passed on.
   */
  public static List<TestResult> read(InputStream in) throws IOException {
    List<TestResult> out = new ArrayList<>();
    IoWatch watched = new IoWatch(in);
    XMLStreamReader r = null;
    try {
      r = XML.createXMLStreamReader(watched);
      r.nextTag();
      String root = r.getLocalName();
      if (!root.equals("testsuite") && !root.equals("testsuites")) {
        return List.of();
      }
      String cls = null;
      String name = null;
      int flaky = 0;
      boolean failed = false;
      boolean skipped = false;
      while (r.hasNext()) {
        int ev = r.next();
        if (ev == XMLStreamConstants.START_ELEMENT) {
          switch (r.getLocalName()) {
            case "testcase" -> {
              cls = attr(r, "classname");
              name = attr(r, "name");
              flaky = 0;
              failed = false;
              skipped = false;
            }
            case "failure", "error" -> failed |= name != null;
            case "skipped" -> skipped |= name != null;
            case "flakyFailure", "flakyError" -> flaky += name != null ? 1 : 0;
            default -> {}
          }
        } else if (ev == XMLStreamConstants.END_ELEMENT
            && r.getLocalName().equals("testcase")
            && name != null) {
          if (skipped) {
            out.add(new TestResult(cls, name, Status.SKIPPED));
          } else {
            for (int k = 0; k < flaky; k++) {
              out.add(new TestResult(cls, name, Status.FAILED));
            }
            out.add(new TestResult(cls, name, failed ? Status.FAILED : Status.PASSED));
          }
          name = null;
          if (out.size() >= MAX_CASES_PER_REPORT) {
            break;
          }
        }
      }
      return out;
    } catch (XMLStreamException | RuntimeException e) {
      if (watched.failure != null) {
        throw watched.failure;
      }
      return List.of();
    } finally {
      if (r != null) {
        try {
          r.close();
        } catch (XMLStreamException e) {
          // closing a reader does not close the stream; nothing to release
        }
      }
    }
  }

  private static String attr(XMLStreamReader r, String name) {
    String v = r.getAttributeValue(null, name);
    return v == null ? "" : v;
  }

  /** A byte and entry allowance shared by every archive of one run. */
  public static final class Budget {
    private long bytes;
    private int entries;

    public Budget(long bytes, int entries) {
      this.bytes = bytes;
      this.entries = entries;
    }

    public long bytesLeft() {
      return bytes;
    }
  }

  /** An archive broke the budget or is not a readable zip; its reports are not to be trusted. */
  public static final class ArchiveException extends IOException {
    public ArchiveException(String message) {
      super(message);
    }
  }

  /**
   * The test cases of the JUnit reports in a zip, read as a stream: only {@code *.xml} entries
   * whose root is {@code <testsuite>} or {@code <testsuites>}; entries with absolute or {@code ..}
   * names (zip slip) are skipped. Every entry's uncompressed bytes count against the budget,
   * skipped ones too, because inflating them costs the same; past it, or past its entry count, the
   * archive fails with an {@link ArchiveException}, as does a zip that cannot be read.
   */
  public static List<TestResult> fromZip(InputStream zipped, Budget budget) throws IOException {
    List<TestResult> out = new ArrayList<>();
    // a body that does not start as a zip (an HTML error page) would read as an empty archive
    PushbackInputStream head = new PushbackInputStream(zipped, 4);
    byte[] magic = head.readNBytes(4);
    head.unread(magic);
    if (magic.length < 4
        || magic[0] != 'P'
        || magic[1] != 'K'
        || !((magic[2] == 3 && magic[3] == 4) || (magic[2] == 5 && magic[3] == 6))) {
      throw new ArchiveException("the archive is not a zip");
    }
    try (ZipInputStream zip = new ZipInputStream(head)) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        if (--budget.entries < 0) {
          throw new ArchiveException("the archive has more entries than the report budget allows");
        }
        Metered entry = new Metered(zip, budget);
        if (!e.isDirectory() && isReportName(e.getName())) {
          out.addAll(read(entry));
        }
        entry.drain();
      }
    } catch (java.util.zip.ZipException | java.io.EOFException e) {
      throw new ArchiveException("the archive is not a readable zip (" + e.getMessage() + ")");
    }
    return out;
  }

  /** An XML file name inside the archive, neither absolute nor climbing out with {@code ..}. */
  static boolean isReportName(String name) {
    String n = name.replace('\\', '/');
    if (n.startsWith("/") || n.matches("^[A-Za-z]:.*") || n.indexOf('\0') >= 0) {
      return false;
    }
    for (String seg : n.split("/")) {
      if (seg.equals("..")) {
        return false;
      }
    }
    return n.toLowerCase(Locale.ROOT).endsWith(".xml");
  }

  /** One entry's bytes, charged to the budget as they are inflated; never closes the zip. */
  private static final class Metered extends FilterInputStream {
    private final Budget budget;

    Metered(InputStream in, Budget budget) {
      super(in);
      this.budget = budget;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (budget.bytes < 0) {
        throw over();
      }
      int n = super.read(b, off, (int) Math.min(len, budget.bytes + 1));
      if (n > 0) {
        budget.bytes -= n;
        if (budget.bytes < 0) {
          throw over();
        }
      }
      return n;
    }

    void drain() throws IOException {
      byte[] buf = new byte[8192];
      while (read(buf, 0, buf.length) >= 0) {
        // counted by read
      }
    }

    @Override
    public void close() {
      // the parser closing its input must not close the zip
    }

    private static ArchiveException over() {
      return new ArchiveException("the reports expand beyond the byte budget");
    }
  }

  /** Remembers an I/O failure underneath the parser, which wraps it into a parse error. */
  private static final class IoWatch extends FilterInputStream {
    IOException failure;

    IoWatch(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }

    @Override
    public void close() {
      // the caller owns the stream
    }
  }
}
