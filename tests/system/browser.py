"""Headless Chromium from Debian's packages (chromium, chromium-driver),
driven by Selenium, for the console's page tests."""

import os

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait


def chromium(language="en-US", width=1280, height=900):
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    # Without the background-networking flags Chromium keeps trying to reach
    # Google's hosts, which a closed network refuses.
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--window-size={width},{height}", f"--lang={language}"]:
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": language})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


class Page:
    """A driver with waits in the console's terms (data-test attributes)."""

    def __init__(self, driver, shots_dir, timeout=20):
        self.driver = driver
        self.shots_dir = shots_dir
        self.timeout = timeout
        os.makedirs(shots_dir, exist_ok=True)

    def css(self, selector):
        return self.driver.find_elements(By.CSS_SELECTOR, selector)

    def test_id(self, name):
        return f'[data-test="{name}"]'

    def wait(self, condition, what):
        try:
            return WebDriverWait(self.driver, self.timeout,
                                 ignored_exceptions=(StaleElementReferenceException,)).until(condition)
        except Exception as e:
            self.shot("failed-" + what.replace(" ", "-")[:40])
            raise AssertionError(f"timed out waiting for {what}; page text:\n{self.text()}\n"
                                 f"console log: {self.browser_log()}") from e

    def element(self, name):
        return self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, self.test_id(name))), name)

    def click(self, name):
        el = self.wait(EC.element_to_be_clickable((By.CSS_SELECTOR, self.test_id(name))), name)
        el.click()
        return el

    def wait_text(self, name, predicate, what):
        def check(_):
            for el in self.css(self.test_id(name)):
                try:
                    if predicate(el.text):
                        return el
                except Exception:  # replaced while reading: try again
                    pass
            return False
        return self.wait(check, what)

    def text(self):
        try:
            return self.driver.find_element(By.TAG_NAME, "main").text
        except Exception:
            return "(no page)"

    def browser_log(self):
        try:
            return [e["message"] for e in self.driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
        except Exception:
            return []

    def shot(self, name):
        path = os.path.join(self.shots_dir, name + ".png")
        self.driver.save_screenshot(path)
        return path
