# The dashboard's browser tests drive Debian's Chromium through its WebDriver (no browser download).
need_apt chromedriver chromium chromium-driver
