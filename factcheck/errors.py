"""The one error type that reaches the user as a one-line reason."""


class InputError(Exception):
    """Bad input: the message is one line that names the file (and line) at fault.

    The command line prints it to stderr and exits non-zero; the web layer shows it
    as a form error. Nothing has been written when it is raised.
    """
