"""Input hygiene for what no form sees: the address and its query parameters."""

from django.shortcuts import render

from .text import has_control_characters


def address_problem(request) -> str | None:
    """Where a control character sits in the request's address (the path, or which query
    parameter), or None. Form fields are the forms' to check (core.forms), with their labels."""
    if has_control_characters(request.path):
        return "网页地址"
    for key, values in request.GET.lists():
        if has_control_characters(key) or any(has_control_characters(value) for value in values):
            return f"地址中的参数“{''.join(c for c in key if not has_control_characters(c))[:40]}”"
    return None


class ControlCharactersMiddleware:
    """Answers 400, with a page naming the parameter, a request whose address or query parameters
    hold a control character (NUL and the like), before any view or the database sees it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        where = address_problem(request)
        if where is not None:
            return render(request, "400_control.html", {"where": where}, status=400)
        return self.get_response(request)
