import unittest

from pricing import total


class PricingTest(unittest.TestCase):
    def test_member_discount(self):
        self.assertEqual(total(100.0, member=True), 90.0)

    def test_no_discount(self):
        self.assertEqual(total(100.0, member=False), 100.0)


if __name__ == "__main__":
    unittest.main()
