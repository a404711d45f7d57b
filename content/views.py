from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from . import models, selectors
from .cache import cache_public_page, current_key_areas
from .forms import SearchForm


@cache_public_page
def home(request):
    chapters = models.Page.objects.current().exclude(key__in=models.Page.NOT_CHAPTERS)
    pages = {page.key: page for page in chapters}
    return render(
        request,
        "content/home.html",
        {"key_areas": selectors.key_areas(), "pages": pages},
    )


@cache_public_page
def page(request, key: str):
    page = get_object_or_404(models.Page.objects.current(), key=key)
    if key in models.Page.QUALITY_PAGE_KEYS:
        return redirect(page.get_absolute_url())
    pages = list(
        models.Page.objects.current()
        .exclude(key__in=models.Page.NOT_CHAPTERS)
        .only("key", "title_lv", "title_en", "order")
    )
    key_areas = selectors.key_areas() if key == models.Page.KEY_AREAS_KEY else None
    return render(
        request, "content/page.html", {"page": page, "pages": pages, "key_areas": key_areas}
    )


@cache_public_page
def key_area(request, number: int):
    try:
        area = selectors.key_area_detail(number)
    except models.KeyArea.DoesNotExist:
        raise Http404 from None
    areas = list(selectors.key_areas())
    index = next(i for i, a in enumerate(areas) if a.pk == area.pk)
    return render(
        request,
        "content/key_area.html",
        {
            "area": area,
            "key_areas": areas,
            "previous_area": areas[index - 1] if index > 0 else None,
            "next_area": areas[index + 1] if index + 1 < len(areas) else None,
        },
    )


@cache_public_page
def general_checklist(request):
    items = models.GeneralChecklistItem.objects.current()
    return render(request, "content/general_checklist.html", {"items": items})


@cache_public_page
def quality_indicators(request):
    texts = {
        page.key: page
        for page in models.Page.objects.current().filter(key__in=models.Page.QUALITY_PAGE_KEYS)
    }
    return render(
        request,
        "content/quality_indicators.html",
        {
            "domains": selectors.quality_domains(),
            "intro": texts.get("quality-intro"),
            "source": texts.get("quality-source"),
        },
    )


@cache_public_page
def glossary(request):
    return render(
        request, "content/glossary.html", {"terms": models.GlossaryTerm.objects.current()}
    )


@cache_public_page
def testimonials(request):
    return render(
        request, "content/testimonials.html", {"testimonials": models.Testimonial.objects.all()}
    )


def search(request):
    form = SearchForm(request.GET)
    valid = form.is_valid()
    query = form.cleaned_data["q"] if valid else ""
    results = selectors.search_handbook(query)
    total = sum(len(v) for v in results.values())
    found_nothing = bool(results) and total == 0
    return render(
        request,
        "content/search.html",
        {
            "form": form,
            "query": query,
            "results": results,
            "total": total,
            "suggestions": selectors.search_suggestions(query) if found_nothing else [],
            "key_areas": current_key_areas() if found_nothing else [],
            "several_words": len(query.split()) > 1,
        },
        status=200 if valid else 400,
    )
