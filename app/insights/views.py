"""HTTP views of the insights feature."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request
from flask.typing import ResponseReturnValue

from app.audit import actions
from app.audit.services import record_audit
from app.auth.access import staff_required
from app.extensions import db
from app.insights import reports
from app.insights.charts import Series, bar_chart_svg
from app.insights.forms import PeriodForm

bp = Blueprint("insights", __name__, url_prefix="/insights")


def _period_form() -> PeriodForm:
    form = PeriodForm(request.args)
    form.validate()
    return form


@bp.get("/")
@staff_required
def index() -> ResponseReturnValue:
    form = _period_form()
    period = form.period()
    tables = reports.build_all(period)
    charts = {
        table.key: bar_chart_svg(Series(table.title, table.chart)) if table.chart else None
        for table in tables
    }
    query = {k: v for k, v in request.args.items() if k in ("start", "end") and v}
    status = 400 if form.errors else 200
    return render_template(
        "insights/index.html", form=form, tables=tables, charts=charts, query=query
    ), status


@bp.get("/export/<string:table>.csv")
@staff_required
def export(table: str) -> ResponseReturnValue:
    build = reports.BUILDERS.get(table)
    if build is None:
        abort(404)
    period = _period_form().period()
    report = build(period)
    # Aggregates only (no member ids): the entry records which table left and for which period.
    record_audit(
        actions.CSV_EXPORTED,
        target=None,
        details={
            "export": f"insights.{table}",
            "from": period.start.isoformat() if period.start else None,
            "to": period.end.isoformat() if period.end else None,
            "rows": len(report.rows),
        },
    )
    db.session.commit()
    filename = f"umuhuza-{table.replace('_', '-')}.csv"
    return Response(
        "\ufeff" + reports.to_csv(report),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
