import unittest

import settings


class SettingsTest(unittest.TestCase):
    def test_level_is_known(self):
        self.assertIn(settings.LOG_LEVEL, settings.LEVELS)


if __name__ == "__main__":
    unittest.main()
