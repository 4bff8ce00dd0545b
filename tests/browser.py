"""Steps shared by the browser tests."""


def admin_login(page, mobile):
    """Log in to the admin as a test administrator (factory password, captcha in test mode)."""
    page.goto(f"{page.base_url}/admin/login/")
    page.fill("input[name=username]", mobile)
    page.fill("input[name=password]", "Test-pass-123")
    page.fill("input[name=captcha_1]", "PASSED")
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(f"{page.base_url}/admin/")
