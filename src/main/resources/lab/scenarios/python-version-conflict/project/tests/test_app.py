import unittest

from app import banner


class AppTest(unittest.TestCase):
    def test_banner(self):
        self.assertTrue(banner().startswith("running labclient/1.0"))


if __name__ == "__main__":
    unittest.main()
