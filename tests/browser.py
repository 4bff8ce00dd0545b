"""Steps shared by the browser tests."""


def submit_admin_login(page, login, password="Test-pass-123"):
    """Fill and send the admin sign-in form (captcha in test mode); where it leads is the caller's to check."""
    page.goto(f"{page.base_url}/admin/login/")
    page.fill("input[name=username]", login)
    page.fill("input[name=password]", password)
    page.fill("input[name=captcha_1]", "PASSED")
    page.locator("form button[type=submit]").first.click()


def admin_login(page, mobile):
    """Log in to the admin as a test administrator (factory password, captcha in test mode)."""
    submit_admin_login(page, mobile)
    page.wait_for_url(f"{page.base_url}/admin/")
