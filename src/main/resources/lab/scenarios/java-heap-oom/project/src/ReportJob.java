import java.util.ArrayList;
import java.util.List;

/** Loads the whole dataset (160 blocks of 1 MB) before aggregating it. */
public class ReportJob {
  public static void main(String[] args) {
    List<byte[]> blocks = new ArrayList<>();
    for (int i = 0; i < 160; i++) {
      byte[] b = new byte[1024 * 1024];
      b[i] = 1;
      blocks.add(b);
    }
    long sum = 0;
    for (byte[] b : blocks) {
      for (byte x : b) {
        sum += x;
      }
    }
    System.out.println("report: " + blocks.size() + " blocks, checksum " + sum);
  }
}
