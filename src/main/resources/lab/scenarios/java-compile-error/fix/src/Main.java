public class Main {
  public static void main(String[] args) {
    Inventory inv = new Inventory();
    inv.add("bolt");
    System.out.println("items: " + inv.size());
  }
}
