import sys
import unittest

sys.path.insert(0, "src")
import prices  # noqa: E402


class PricesTest(unittest.TestCase):
    def test_cold_start(self):
        # assumes nothing ran before it in this process
        self.assertEqual(prices.cached(), 0)
        prices.price("sku-1")
        self.assertEqual(prices.cached(), 1)

    def test_warm_cache(self):
        prices.price("sku-2")
        self.assertEqual(prices.price("sku-2"), prices.price("sku-2"))


if __name__ == "__main__":
    unittest.main()
