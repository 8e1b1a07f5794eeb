import unittest

import service


class ServiceTest(unittest.TestCase):
    def test_config_loads(self):
        self.assertEqual(service.load("config/app.json")["listen_port"], 8080)


if __name__ == "__main__":
    unittest.main()
