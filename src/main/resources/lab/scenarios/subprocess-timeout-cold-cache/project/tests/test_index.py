import subprocess
import sys
import unittest


class IndexTest(unittest.TestCase):
    def test_index_builds(self):
        out = subprocess.run(
            [sys.executable, "tools/indexer.py"], capture_output=True, text=True, timeout=3, check=True
        )
        self.assertIn("index ready", out.stdout)


if __name__ == "__main__":
    unittest.main()
