from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from stepchange.page_cache import public_page

from .models import Workstream


def _workstreams():
    # A workstream's projects come in their model's own order (within one
    # workstream: order, then code), so this app need not import projects;
    # archived ones are not shown.
    projects = Workstream._meta.get_field("projects").related_model.objects.filter(archived=False)
    return (
        Workstream.objects.listed()
        .select_related("business_co_chair", "police_co_chair")
        .prefetch_related(Prefetch("projects", queryset=projects))
    )


@public_page
def workstream_list(request):
    return render(request, "workstreams/workstream_list.html", {"workstreams": _workstreams()})


@public_page
def workstream_detail(request, slug):
    workstream = get_object_or_404(_workstreams(), slug=slug)
    return render(request, "workstreams/workstream_detail.html", {"workstream": workstream})
