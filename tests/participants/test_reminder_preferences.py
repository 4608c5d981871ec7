from participants.models import User


def test_preferences_page_saves_both_choices(applicant_client, applicant):
    page = applicant_client.get("/accounts/reminders/")
    assert page.status_code == 200
    assert "Remind me about my expressions of interest" in page.content.decode()

    response = applicant_client.post("/accounts/reminders/", {"programme_reminders": "on"})

    assert response.url == "/accounts/reminders/"
    applicant.refresh_from_db()
    assert (applicant.reminders_about_applications, applicant.programme_reminders) == (False, True)


def test_preferences_need_sign_in(client, db):
    assert client.get("/accounts/reminders/").url.startswith("/accounts/login/")


def test_defaults_remind_about_own_applications_only(db):
    user = User.objects.create_user("new@example.org", "a long enough password")

    assert (user.reminders_about_applications, user.programme_reminders) == (True, False)
