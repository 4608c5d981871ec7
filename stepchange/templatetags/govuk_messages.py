"""Messages as GOV.UK notification banners: at most one success banner a page.

One action can leave more than one success message (adding an authenticator app
also makes its recovery codes: allauth says so twice); GOV.UK shows one success
banner, so the first message is its heading and the others its body.
"""

from django import template

register = template.Library()


@register.simple_tag
def govuk_banners(messages):
    """The success messages (heading first) and every other message, for
    templates/allauth/_messages.html."""
    messages = list(messages or [])
    return {
        "successes": [message for message in messages if message.level_tag == "success"],
        "others": [message for message in messages if message.level_tag != "success"],
    }
