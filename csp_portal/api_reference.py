"""The API reference as a page of the service: every operation of the OpenAPI schema in the
GOV.UK layout (a language, a main landmark, the service's colours, no nested controls), with
the schema itself to download. Swagger UI and Redoc stay for developers who want them."""

from functools import lru_cache

from django.shortcuts import render
from django.utils.translation import get_language
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")


@lru_cache(maxsize=4)
def _reference(language: str) -> dict:
    """The schema read into sections by tag, once per language (it changes only on deploy)."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    sections: dict[str, list[dict]] = {}
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            tag = (operation.get("tags") or ["api"])[0]
            sections.setdefault(tag, []).append(
                {
                    "id": operation.get("operationId", f"{method}-{path}"),
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {
                            "name": parameter["name"],
                            "where": parameter.get("in", ""),
                            "required": parameter.get("required", False),
                            "description": parameter.get("description", ""),
                        }
                        for parameter in operation.get("parameters", [])
                    ],
                    "responses": [
                        {"status": status, "description": response.get("description", "")}
                        for status, response in operation.get("responses", {}).items()
                    ],
                }
            )
    return {
        "info": schema.get("info", {}),
        "sections": sorted(sections.items()),
    }


def api_reference(request):
    return render(request, "api/reference.html", _reference(get_language() or ""))
