"""Words other packages show people, put in our catalogue so that they read in Welsh too.

Nothing imports this module: it is here for ``makemessages``, which then keeps these msgids in
``locale/cy/LC_MESSAGES/django.po``, where they are translated. Our catalogue is read before
every package's (settings.LOCALE_PATHS), so a msgid here is translated even where the package has
no Welsh, and where its Welsh is wrong ("Rhif ddyddiad dilys" for "Enter a valid date.").

What each package shows, and why these:

- Django's own ``cy`` catalogue lacks the date-part labels, some form errors and the password
  validators' messages and help (contrib.auth), and has two form errors wrongly.
- crispy-forms-gds has no catalogues: its error summary heading ("There is a problem") and the
  date input's boxes ("Day", "Month", "Year") are marked for translation; its hidden "Error:"
  prefix is not, so templates/gds/layout/field_errors*.html mark it.
- Django REST framework ships no ``cy``: the ``detail`` of the API's errors and its field errors.
- django-axes: the lockout message (the lockout page itself is ours, accounts/locked_out.html).
- django-otp: none. Sign-in codes are asked by our own forms and views (accounts/forms.py), so
  none of its messages reaches anyone.
"""

from django.utils.translation import gettext_noop, ngettext_lazy, pgettext_lazy

DJANGO = [
    gettext_noop("Day"),
    gettext_noop("Month"),
    gettext_noop("Year"),
    gettext_noop("Enter a valid date."),
    gettext_noop("Enter a whole number."),
    gettext_noop("Enter a valid UUID."),
    gettext_noop("Enter a valid duration."),
    gettext_noop("Null characters are not allowed."),
    gettext_noop("“%(pk)s” is not a valid value."),
    pgettext_lazy("String to return when truncating text", "%(truncated_text)s…"),
    # contrib.auth's password forms and validators (settings.AUTH_PASSWORD_VALIDATORS).
    gettext_noop("The two password fields didn’t match."),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
    ),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
    ),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("This password is too common."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("This password is entirely numeric."),
    gettext_noop("Your password can’t be entirely numeric."),
]

CRISPY_FORMS_GDS = [
    gettext_noop("There is a problem"),
    gettext_noop("Error:"),
]

DJANGO_AXES = [
    gettext_noop("Account locked: too many login attempts. Please try again later."),
]

REST_FRAMEWORK = [
    # rest_framework.exceptions: the ``detail`` of an error answer.
    gettext_noop("A server error occurred."),
    gettext_noop("Invalid input."),
    gettext_noop("Malformed request."),
    gettext_noop("Incorrect authentication credentials."),
    gettext_noop("Authentication credentials were not provided."),
    gettext_noop("You do not have permission to perform this action."),
    gettext_noop("Not found."),
    gettext_noop('Method "{method}" not allowed.'),
    gettext_noop("Could not satisfy the request Accept header."),
    gettext_noop('Unsupported media type "{media_type}" in request.'),
    gettext_noop("Request was throttled."),
    gettext_noop("Expected available in {wait} second."),
    gettext_noop("Expected available in {wait} seconds."),
    gettext_noop("Invalid page."),
    # rest_framework.fields and relations: the messages of a field that was refused.
    gettext_noop("This field may not be null."),
    gettext_noop("This field may not be blank."),
    gettext_noop("This list may not be empty."),
    gettext_noop("This selection may not be empty."),
    gettext_noop("Not a valid string."),
    gettext_noop("Must be a valid boolean."),
    gettext_noop("Must be a valid UUID."),
    gettext_noop("A valid integer is required."),
    gettext_noop("A valid number is required."),
    gettext_noop("Value must be valid JSON."),
    gettext_noop('"{input}" is not a valid choice.'),
    gettext_noop("Ensure this field has no more than {max_length} characters."),
    gettext_noop("Ensure this field has at least {min_length} characters."),
    gettext_noop("Ensure this value is less than or equal to {max_value}."),
    gettext_noop("Ensure this value is greater than or equal to {min_value}."),
    gettext_noop("Ensure that there are no more than {max_digits} digits in total."),
    gettext_noop("Ensure that there are no more than {max_decimal_places} decimal places."),
    gettext_noop(
        "Ensure that there are no more than {max_whole_digits} digits before the decimal point."
    ),
    gettext_noop("Date has wrong format. Use one of these formats instead: {format}."),
    gettext_noop("Datetime has wrong format. Use one of these formats instead: {format}."),
    gettext_noop("Expected a date but got a datetime."),
    gettext_noop('Expected a list of items but got type "{input_type}".'),
    gettext_noop("Invalid data. Expected a dictionary, but got {datatype}."),
    gettext_noop('Invalid pk "{pk_value}" - object does not exist.'),
    gettext_noop("Incorrect type. Expected pk value, received {data_type}."),
]
