"""The jobs pages: the administrator sees every job; the county officer starts the
nightly rules; nobody else finds the pages (404)."""

from __future__ import annotations

from django.urls import reverse

from srbgov.operations.models import JobRun, OpsAlert, Outcome
from srbgov.operations.registry import JOBS
from srbgov.testing import BaseTestCase, covers_scope


class JobPagesTests(BaseTestCase):
    def test_the_administrator_sees_each_jobs_last_run_and_the_ops_alerts(self) -> None:
        JobRun.objects.create(
            job="backup", outcome=Outcome.FAILED, message="pg_dump 失败：磁盘已满"
        )
        OpsAlert.objects.create(
            job="backup", kind="failed", message="运行失败：磁盘已满"
        )
        self.login(self.admin)
        page = self.client.get(reverse("operations:job_list"))
        assert page.status_code == 200
        text = page.content.decode()
        assert "运维告警" in text and "运行失败：磁盘已满" in text
        for name in (
            "raise_alerts",
            "raise_srb_alerts",
            "verify_audit_chain",
            "clearsessions",
        ):
            assert name in text
        assert "从未运行" in text  # the jobs without any run
        detail = self.client.get(reverse("operations:job_detail", args=["backup"]))
        assert "pg_dump 失败：磁盘已满" in detail.content.decode()

    def test_the_county_officer_runs_the_nightly_alerts_now(self) -> None:
        self.login(self.xian)
        response = self.client.post(
            reverse("operations:job_run", args=["raise_alerts"])
        )
        assert response.status_code == 302
        run = JobRun.objects.get(job="raise_alerts")
        assert run.outcome == Outcome.SUCCEEDED and run.triggered_by == self.xian
        detail = self.client.get(
            reverse("operations:job_detail", args=["raise_alerts"])
        )
        assert "立即运行" in detail.content.decode()
        # the installation-wide summary is for administrators only
        assert run.message not in detail.content.decode()

    def test_the_administrator_starts_the_backup_the_county_officer_cannot(
        self,
    ) -> None:
        self.login(self.xian)
        url = reverse("operations:job_run", args=["backup"])
        assert self.client.post(url).status_code == 404
        assert not JobRun.objects.exists()

    def test_running_needs_a_post(self) -> None:
        self.login(self.xian)
        url = reverse("operations:job_run", args=["raise_alerts"])
        assert self.client.get(url).status_code == 405

    @covers_scope("operations:job_list", "operations:job_detail", "operations:job_run")
    def test_no_other_role_finds_the_jobs_pages(self) -> None:
        routes = [
            ("get", reverse("operations:job_list")),
            ("get", reverse("operations:job_detail", args=["raise_alerts"])),
            ("post", reverse("operations:job_run", args=["raise_alerts"])),
        ]
        others = [
            self.cun_a,
            self.zhen_a,
            self.zhen_b,
            self.police_a,
            self.health_a,
            self.auditor,
            self.tips,
        ]
        for user in others:
            self.login(user)
            for method, url in routes:
                response = getattr(self.client, method)(url)
                assert response.status_code == 404, (user.username, url)
        self.login(self.admin)
        assert (
            self.client.get(reverse("operations:job_detail", args=["nope"])).status_code
            == 404
        )
        assert not JobRun.objects.exists()


class HomeLinkTests(BaseTestCase):
    def test_the_home_page_links_the_administrator_to_the_jobs_with_open_alerts(
        self,
    ) -> None:
        OpsAlert.objects.create(job="backup", kind="missed", message="未运行")
        self.login(self.admin)
        page = self.client.get(reverse("core:home"))
        assert ("ops_alerts", 1, "operations:job_list") in [
            figure[:3] for figure in page.context["figures"]
        ]
        self.assertContains(page, reverse("operations:job_list"))
        self.login(self.cun_a)
        page = self.client.get(reverse("core:home"))
        assert all(figure[0] != "ops_alerts" for figure in page.context["figures"])


class WhoSeesWhatTests(BaseTestCase):
    """Jobs are installation-wide; the county officer sees the nightly rules of their
    county's queues, not the installation's housekeeping, and no name from another
    county (docs/operations.md, "Who sees what")."""

    def test_the_county_officer_sees_only_the_nightly_rules(self) -> None:
        OpsAlert.objects.create(job="backup", kind="failed", message="磁盘已满")
        self.login(self.xian)
        page = self.client.get(reverse("operations:job_list"))
        text = page.content.decode()
        assert [s.job.name for s in page.context["states"]] == [
            "raise_alerts",
            "raise_register_patterns",
            "raise_srb_alerts",
        ]
        assert "运维告警" not in text
        for name in ("backup", "verify_audit_chain", "clearsessions"):
            url = reverse("operations:job_detail", args=[name])
            assert self.client.get(url).status_code == 404, name
        home = self.client.get(reverse("core:home"))
        assert all(f[0] != "ops_alerts" or f[1] == 0 for f in home.context["figures"])
        self.login(self.admin)
        page = self.client.get(reverse("operations:job_list"))
        assert len(page.context["states"]) == len(JOBS)
        self.assertContains(page, "运维告警")

    def test_a_run_started_in_another_county_does_not_name_its_starter(self) -> None:
        JobRun.objects.create(
            job="raise_alerts", outcome=Outcome.SUCCEEDED, triggered_by=self.other_xian
        )
        JobRun.objects.create(
            job="raise_alerts", outcome=Outcome.SUCCEEDED, triggered_by=self.xian
        )
        url = reverse("operations:job_detail", args=["raise_alerts"])
        self.login(self.xian)
        text = self.client.get(url).content.decode()
        assert "其他县的用户" in text
        assert self.other_xian.display_name not in text
        assert self.xian.display_name in text
        self.login(self.admin)
        text = self.client.get(url).content.decode()
        assert self.other_xian.display_name in text
        assert "其他县的用户" not in text
