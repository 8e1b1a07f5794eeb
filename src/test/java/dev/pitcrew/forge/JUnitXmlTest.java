package dev.pitcrew.forge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pitcrew.forge.TestResult.Status;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

class JUnitXmlTest {
  private static List<TestResult> read(String xml) throws IOException {
    return JUnitXml.read(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aSurefireFlakyFailureIsAFailedRunBeforeThePassingOne() throws IOException {
    String xml =
        """
        <testsuites>
          <testsuite name="com.acme.OrderServiceTest">
            <testcase classname="com.acme.OrderServiceTest" name="createsOrder">
              <flakyFailure message="timeout"/>
              <flakyError message="reset"/>
            </testcase>
            <testcase classname="com.acme.OrderServiceTest" name="cancelsOrder">
              <error message="boom"/>
            </testcase>
            <testcase name="Cart › adds an item"><skipped/></testcase>
          </testsuite>
        </testsuites>
        """;
    assertThat(read(xml))
        .containsExactly(
            new TestResult("com.acme.OrderServiceTest", "createsOrder", Status.FAILED),
            new TestResult("com.acme.OrderServiceTest", "createsOrder", Status.FAILED),
            new TestResult("com.acme.OrderServiceTest", "createsOrder", Status.PASSED),
            new TestResult("com.acme.OrderServiceTest", "cancelsOrder", Status.FAILED),
            new TestResult("", "Cart › adds an item", Status.SKIPPED));
  }

  @Test
  void otherDocumentsMalformedXmlAndEntitiesGiveNothing() throws IOException {
    assertThat(read("<coverage><testcase name=\"a\"/></coverage>")).isEmpty();
    assertThat(read("<testsuite><testcase name=\"a\"/>")).isEmpty();
    assertThat(read("not xml at all")).isEmpty();
    // a document type is refused, so no entity is expanded (no billion laughs, no XXE)
    String entity =
        """
        <?xml version="1.0"?>
        <!DOCTYPE testsuite [<!ENTITY n "injected">]>
        <testsuite><testcase classname="a" name="&n;"/></testsuite>
        """;
    assertThat(read(entity)).isEmpty();
  }

  @Test
  void aFailingStreamIsAnErrorNotAnEmptyReport() {
    InputStream broken =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("connection reset");
          }
        };
    assertThatThrownBy(() -> JUnitXml.read(broken)).hasMessage("connection reset");
  }

  @Test
  void zipSlipAndNonXmlNamesAreNotReports() {
    assertThat(JUnitXml.isReportName("build/test-results/TEST-a.xml")).isTrue();
    assertThat(JUnitXml.isReportName("REPORT.XML")).isTrue();
    assertThat(JUnitXml.isReportName("../TEST-a.xml")).isFalse();
    assertThat(JUnitXml.isReportName("a/../../TEST-a.xml")).isFalse();
    assertThat(JUnitXml.isReportName("a\\..\\TEST-a.xml")).isFalse();
    assertThat(JUnitXml.isReportName("/etc/TEST-a.xml")).isFalse();
    assertThat(JUnitXml.isReportName("C:/TEST-a.xml")).isFalse();
    assertThat(JUnitXml.isReportName("TEST-a.xml.txt")).isFalse();
  }

  @Test
  void theEntryCountIsPartOfTheBudget() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(b)) {
      for (int i = 0; i < 5; i++) {
        z.putNextEntry(new ZipEntry("TEST-" + i + ".xml"));
        z.write(
            ("<testsuite><testcase classname=\"c\" name=\"t" + i + "\"/></testsuite>")
                .getBytes(StandardCharsets.UTF_8));
        z.closeEntry();
      }
    }
    byte[] zip = b.toByteArray();
    assertThat(JUnitXml.fromZip(new ByteArrayInputStream(zip), new JUnitXml.Budget(1 << 20, 5)))
        .hasSize(5);
    assertThatThrownBy(
            () -> JUnitXml.fromZip(new ByteArrayInputStream(zip), new JUnitXml.Budget(1 << 20, 4)))
        .isInstanceOf(JUnitXml.ArchiveException.class)
        .hasMessageContaining("more entries");
  }
}
