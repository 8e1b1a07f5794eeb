import unittest

from report import line


class ReportTest(unittest.TestCase):
    def test_line(self):
        self.assertEqual(line("Monthly Fee", 1250), "monthly-fee: 12.50")


if __name__ == "__main__":
    unittest.main()
