import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { fieldErrors, invalid, readForm } from "~/.server/form.server";
import { requirePermission, requireStaff, staffActor } from "~/.server/staff-auth.server";
import { AnswerValue } from "~/components/form/answer-value";
import { CsrfInput } from "~/components/form/csrf-input";
import { FieldControl } from "~/components/form/question-form";
import { Button, ButtonGroup } from "~/components/govuk/button";
import { ErrorSummary } from "~/components/govuk/error-summary";
import { Ltr } from "~/components/govuk/ltr";
import { NotificationBanner } from "~/components/govuk/notification-banner";
import { SummaryList, type SummaryListRow } from "~/components/govuk/summary-list";
import { Table } from "~/components/govuk/table";
import { Tag } from "~/components/govuk/tag";
import { WarningText } from "~/components/govuk/warning-text";
import { StatusTag } from "~/components/status-tag";
import { noteFields, reasonField } from "~/domain/cases/cases.pages";
import { isDecision, isReasonFor } from "~/domain/cases/cases.rules";
import { noteSchema } from "~/domain/cases/cases.schema";
import {
  addNote,
  CaseNotFoundError,
  type CaseView,
  ClaimRequiredError,
  claimCase,
  type FlagView,
  loadCase,
  releaseCase,
} from "~/domain/cases/cases.service.server";
import { countryOptions } from "~/domain/eoi/countries";
import { answersOf, eligibilityPages, type QuestionPage, sections } from "~/domain/eoi/eoi.pages";
import { flatFields } from "~/domain/forms/fields";
import { formatDate, formatDateTime, formatDay } from "~/i18n/format";
import { useTranslation } from "~/i18n/react";
import type { TFunction } from "~/i18n/translate";

export const handle = { i18n: ["case", "staff", "apply"], titleKey: "case:pages.case.title" };

const doneMessages = ["claimed", "released", "note", "decided"] as const;

const notFound = (error: unknown) => {
  if (error instanceof CaseNotFoundError) return new Response("Not found", { status: 404 });
  return error;
};

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, "cases.view");
  const view = await loadCase(params.id ?? "", staffActor(staff, context)).catch((e) => {
    throw notFound(e);
  });
  const done = new URL(request.url).searchParams.get("done");
  return {
    ...view,
    countryNames: Object.fromEntries(countryOptions(staff.lang).map((c) => [c.value, c.label])),
    done: doneMessages.find((d) => d === done) ?? null,
  };
}

/** Three small forms on the case: claim it, release it, add a note. Each redirects back (303). */
export async function action({ params, request, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, "cases.view");
  const id = params.id ?? "";
  const { values } = await readForm(request);
  const actor = staffActor(staff, context);
  const back = (done: (typeof doneMessages)[number], hash = "") =>
    redirect(`/staff/cases/${id}?done=${done}${hash}`, 303);
  try {
    switch (values.intent) {
      case "claim": {
        await requirePermission(staff, "cases.claim", request, actor);
        const claim = await claimCase(id, actor);
        if (!claim.ok)
          return data(
            {
              errors: { claim: "case:claim.refused" },
              values: {},
              heldBy: claim.heldBy,
              until: claim.expiresAt.toISOString(),
            },
            { status: 409 },
          );
        return back("claimed");
      }
      case "release":
        await requirePermission(staff, "cases.claim", request, actor);
        await releaseCase(id, actor);
        return back("released");
      case "note": {
        await requirePermission(staff, "cases.note", request, actor);
        const fields = { note: values.note };
        const parsed = noteSchema().safeParse(fields);
        if (!parsed.success) return invalid(fieldErrors(parsed.error), fields);
        try {
          await addNote(id, parsed.data.note as string, actor);
        } catch (error) {
          if (error instanceof ClaimRequiredError)
            return invalid({ note: "case:fields.note.errors.claimRequired" }, fields);
          throw error;
        }
        return back("note", "#notes");
      }
      default:
        throw new Response("Bad request", { status: 400 });
    }
  } catch (error) {
    throw notFound(error);
  }
}

type LoaderData = CaseView & { countryNames: Record<string, string>; done: string | null };

interface ActionData {
  errors?: Record<string, string>;
  values?: Record<string, string | undefined>;
  heldBy?: string;
  until?: string;
}

/** A reason code in words: a decision's reasons are its form options; others are listed apart. */
function reasonText(t: TFunction, status: string, code: string): string {
  return isDecision(status) && isReasonFor(status, code)
    ? t(`case:fields.${reasonField(status)}.options.${code}`)
    : t(`case:reasons.${code}`, { defaultValue: code });
}

/**
 * The case: where it stands and who is working on it, flags with their evidence, every answer,
 * the documents, the family, the history and the notes.
 */
export default function Case() {
  const view = useLoaderData<typeof loader>() as unknown as LoaderData;
  const actionData = useActionData<ActionData>();
  const { t, i18n } = useTranslation(["case", "apply", "staff"]);
  const lang = i18n.language;
  const errors = actionData?.errors ?? {};
  const summary = [
    ...(errors.claim
      ? [
          {
            href: "#claim",
            text: t(errors.claim, {
              name: actionData?.heldBy ?? "",
              time: actionData?.until ? formatDateTime(actionData.until, lang) : "",
            }),
          },
        ]
      : []),
    // Without the claim there is no note box to go back to: the link goes to the claim instead.
    ...(errors.note ? [{ href: view.claim?.mine ? "#note" : "#claim", text: t(errors.note) }] : []),
  ];

  return (
    <>
      <ErrorSummary errors={summary} />
      {view.done && <NotificationBanner type="success" heading={t(`done.${view.done}`)} />}
      <span className="govuk-caption-l">
        {t("view.caption")} <Ltr>{view.reference}</Ltr>
      </span>
      <h1 className="govuk-heading-l">
        <Ltr>{view.name}</Ltr>
      </h1>
      <p className="govuk-body">
        <StatusTag status={view.status}>{t(`statuses.${view.status}`)}</StatusTag>
      </p>

      <ClaimPanel view={view} />
      <Flags flags={view.flags} countryNames={view.countryNames} />

      <h2 className="govuk-heading-m">{t("view.summaryTitle")}</h2>
      <SummaryList rows={summaryRows(view, t, lang)} />

      <h2 className="govuk-heading-m">{t("view.answersTitle")}</h2>
      <AnswerSection
        title={t("view.eligibility")}
        pages={eligibilityPages}
        view={view}
        countryNames={view.countryNames}
      />
      {sections
        .filter((s) => s.id !== "uploads")
        .map((section) => (
          <AnswerSection
            key={section.id}
            title={t(`apply:sections.${section.id}`)}
            pages={section.pages}
            view={view}
            countryNames={view.countryNames}
          />
        ))}
      <Children view={view} />

      <h2 className="govuk-heading-m" id="documents">
        {t("documents.title")}
      </h2>
      {view.uploads.length ? (
        <Table
          caption={t("documents.caption")}
          captionSize="s"
          head={["kind", "type", "size", "uploaded", "view"].map((c) => ({
            text: t(`documents.columns.${c}`),
          }))}
          rows={view.uploads.map((u) => [
            {
              text: (
                <>
                  {t(`documents.kinds.${u.kind}`)}{" "}
                  {u.replaced && <Tag colour="grey">{t("documents.replaced")}</Tag>}
                </>
              ),
            },
            { text: u.contentType },
            {
              text: new Intl.NumberFormat(lang, {
                style: "unit",
                unit: "kilobyte",
                maximumFractionDigits: 0,
              }).format(Math.max(1, u.sizeBytes / 1024)),
              format: "numeric",
            },
            { text: formatDateTime(u.createdAt, lang) },
            {
              text: (
                <a className="govuk-link" href={`/staff/cases/${view.id}/files/${u.id}`}>
                  {t("documents.view")}
                  <span className="govuk-visually-hidden"> {t(`documents.kinds.${u.kind}`)}</span>
                </a>
              ),
            },
          ])}
        />
      ) : (
        <p className="govuk-body">{t("documents.none")}</p>
      )}
      <p className="govuk-body-s">{t("documents.audited")}</p>

      <Family view={view} />

      <h2 className="govuk-heading-m" id="history">
        {t("history.title")}
      </h2>
      <Table
        caption={t("history.caption")}
        captionSize="s"
        head={["at", "status", "reason", "by"].map((c) => ({ text: t(`history.columns.${c}`) }))}
        rows={[...view.history]
          .reverse()
          .map((h) => [
            { text: formatDateTime(h.at, lang) },
            { text: t(`statuses.${h.to}`) },
            { text: h.reasonCode ? reasonText(t, h.to, h.reasonCode) : "" },
            { text: h.actorName ?? t(`history.actors.${h.actorType}`, { defaultValue: h.actorType }) },
          ])}
      />

      <Notes view={view} errors={errors} values={actionData?.values ?? {}} />
    </>
  );
}

function summaryRows(view: LoaderData, t: TFunction, lang: string): SummaryListRow[] {
  const rows: SummaryListRow[] = [
    { key: t("view.reference"), value: <Ltr>{view.reference}</Ltr> },
    { key: t("view.status"), value: t(`statuses.${view.status}`) },
    { key: t("view.submittedAt"), value: formatDateTime(view.submittedAt, lang) },
    { key: t("view.window"), value: view.windowName ?? "" },
    {
      key: t("view.familyRole"),
      value: view.familyRole ? t(`family.roles.${view.familyRole}`) : "",
    },
    { key: t("view.language"), value: t(`languages.${view.lang}`, { defaultValue: view.lang }) },
    { key: t("view.presence"), value: t(view.presenceConfirmed ? "view.presenceYes" : "view.presenceNo") },
  ];
  if (view.bookingDeadline)
    rows.push({ key: t("view.bookingDeadline"), value: formatDate(view.bookingDeadline, lang) });
  rows.push(
    { key: t("view.email"), value: view.contact.email ? <Ltr>{view.contact.email}</Ltr> : t("view.none") },
    { key: t("view.mobile"), value: view.contact.mobile ? <Ltr>{view.contact.mobile}</Ltr> : t("view.none") },
  );
  return rows;
}

function ClaimPanel({ view }: { view: LoaderData }) {
  const { t, i18n } = useTranslation("case");
  const claim = view.claim;
  const until = claim ? formatDateTime(claim.expiresAt, i18n.language) : "";
  return (
    <div id="claim" className="govuk-inset-text">
      {!claim && (
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="intent" value="claim" />
          <p className="govuk-body">{t("claim.free")}</p>
          <Button>{t("claim.claim")}</Button>
        </Form>
      )}
      {claim?.mine && (
        <>
          <p className="govuk-body">{t("claim.mine", { time: until })}</p>
          <ButtonGroup>
            {view.decisions.length > 0 && (
              <Button href={`/staff/cases/${view.id}/decide`}>{t("claim.decide")}</Button>
            )}
            <Form method="post" className="app-inline-form">
              <CsrfInput />
              <input type="hidden" name="intent" value="release" />
              <Button variant="secondary">{t("claim.release")}</Button>
            </Form>
          </ButtonGroup>
        </>
      )}
      {claim && !claim.mine && (
        <>
          <p className="govuk-body">{t("claim.other", { name: claim.staffName, time: until })}</p>
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="claim" />
            <Button variant="secondary">{t("claim.tryAgain")}</Button>
          </Form>
        </>
      )}
    </div>
  );
}

function Flags({ flags, countryNames }: { flags: FlagView[]; countryNames: Record<string, string> }) {
  const { t, i18n } = useTranslation("case");
  const lang = i18n.language;
  if (!flags.length) return null;
  return (
    <section id="flags">
      <h2 className="govuk-heading-m">{t("flags.title")}</h2>
      <p className="govuk-body">{t("flags.intro")}</p>
      {flags.map((flag) => (
        <div key={flag.id} className="govuk-summary-card">
          <div className="govuk-summary-card__title-wrapper">
            <h3 className="govuk-summary-card__title">
              {t(`flags.kinds.${flag.kind}`)}{" "}
              <Tag colour={flag.resolved ? "grey" : "orange"}>
                {t(flag.resolved ? "flags.resolved" : "flags.open")}
              </Tag>
            </h3>
          </div>
          <div className="govuk-summary-card__content">
            {flag.kind === "previously_returned" && !flag.resolved && (
              <WarningText>{t("flags.returnedWarning")}</WarningText>
            )}
            {flag.match && (
              <p className="govuk-body">{t(`flags.match.${flag.match}`, { defaultValue: "" })}</p>
            )}
            {flag.evidence?.type === "eoi" && (
              <SummaryList
                rows={[
                  {
                    key: t("flags.evidence.application"),
                    value: (
                      <Link className="govuk-link" to={`/staff/cases/${flag.evidence.id}`}>
                        <Ltr>{flag.evidence.reference}</Ltr>
                      </Link>
                    ),
                  },
                  { key: t("flags.evidence.name"), value: <Ltr>{flag.evidence.name}</Ltr> },
                  {
                    key: t("flags.evidence.dateOfBirth"),
                    value: flag.evidence.dateOfBirth ? formatDay(flag.evidence.dateOfBirth, lang) : "",
                  },
                  {
                    key: t("flags.evidence.nationality"),
                    value: countryNames[flag.evidence.nationality ?? ""] ?? flag.evidence.nationality ?? "",
                  },
                  { key: t("flags.evidence.status"), value: t(`statuses.${flag.evidence.status}`) },
                  {
                    key: t("flags.evidence.submittedAt"),
                    value: flag.evidence.submittedAt ? formatDateTime(flag.evidence.submittedAt, lang) : "",
                  },
                ]}
              />
            )}
            {flag.evidence?.type === "return_case" && (
              <SummaryList
                rows={[
                  { key: t("flags.evidence.personRef"), value: <Ltr>{flag.evidence.personRef}</Ltr> },
                  { key: t("flags.evidence.name"), value: <Ltr>{flag.evidence.name}</Ltr> },
                  {
                    key: t("flags.evidence.dateOfBirth"),
                    value: flag.evidence.dateOfBirth ? formatDay(flag.evidence.dateOfBirth, lang) : "",
                  },
                  {
                    key: t("flags.evidence.nationality"),
                    value: countryNames[flag.evidence.nationality] ?? flag.evidence.nationality,
                  },
                  { key: t("flags.evidence.stage"), value: t(`flags.stages.${flag.evidence.stage}`) },
                  {
                    key: t("flags.evidence.arrivedAt"),
                    value: formatDate(flag.evidence.smallBoatArrivalAt, lang),
                  },
                  {
                    key: t("flags.evidence.transferredAt"),
                    value: flag.evidence.transferredAt
                      ? formatDate(flag.evidence.transferredAt, lang)
                      : t("view.none"),
                  },
                ]}
              />
            )}
          </div>
        </div>
      ))}
    </section>
  );
}

function AnswerSection({
  title,
  pages,
  view,
  countryNames,
}: {
  title: string;
  pages: QuestionPage[];
  view: LoaderData;
  countryNames: Record<string, string>;
}) {
  const { t, i18n } = useTranslation(["case", "apply"]);
  const rows = pages.flatMap((page) => {
    const saved = answersOf(view.answers, page.slug);
    if (!saved) return [];
    return flatFields(page.fields)
      .filter((f) => saved[f.name] !== undefined)
      .map((f) => ({
        key: t(`apply:fields.${f.name}.label`),
        value: (
          <AnswerValue
            field={f}
            value={saved[f.name] as string}
            lang={i18n.language}
            countryNames={countryNames}
          />
        ),
      }));
  });
  if (!rows.length) return null;
  return (
    <>
      <h3 className="govuk-heading-s">{title}</h3>
      <SummaryList rows={rows} />
    </>
  );
}

function Children({ view }: { view: LoaderData }) {
  const { t, i18n } = useTranslation(["case", "apply"]);
  const children = view.answers.children ?? [];
  return (
    <>
      <h3 className="govuk-heading-s">{t("apply:pages.children.title")}</h3>
      {children.length ? (
        <Table
          head={[
            "childGivenNames",
            "childFamilyName",
            "childDateOfBirth",
            "childSex",
            "childNationality",
          ].map((f) => ({ text: t(`apply:fields.${f}.label`) }))}
          rows={children.map((c) => [
            { text: <Ltr>{c.givenNames}</Ltr> },
            { text: <Ltr>{c.familyName}</Ltr> },
            { text: formatDay(c.dateOfBirth, i18n.language) },
            { text: t(`apply:fields.childSex.options.${c.sex}`) },
            {
              text:
                c.nationality === "stateless"
                  ? t("apply:countries.stateless")
                  : (view.countryNames[c.nationality] ?? c.nationality),
            },
          ])}
        />
      ) : (
        <p className="govuk-body">{t("view.noChildren")}</p>
      )}
    </>
  );
}

function Family({ view }: { view: LoaderData }) {
  const { t } = useTranslation(["case", "apply"]);
  return (
    <section id="family">
      <h2 className="govuk-heading-m">{t("family.title")}</h2>
      {view.family ? (
        <>
          <p className="govuk-body">
            {t("family.reference")} <Ltr>{view.family.reference}</Ltr>
          </p>
          <Table
            caption={t("family.caption")}
            captionSize="s"
            head={["name", "reference", "role", "status", "presence", "children"].map((c) => ({
              text: t(`family.columns.${c}`),
            }))}
            rows={view.family.members.map((m) => [
              {
                text: m.isThisCase ? (
                  <>
                    <Ltr>{m.name}</Ltr> <Tag colour="blue">{t("family.thisCase")}</Tag>
                  </>
                ) : (
                  <Link className="govuk-link" to={`/staff/cases/${m.id}`}>
                    <Ltr>{m.name}</Ltr>
                  </Link>
                ),
              },
              { text: <Ltr>{m.reference}</Ltr> },
              {
                text: m.relationshipToMain
                  ? t(`apply:fields.relationshipToMain.options.${m.relationshipToMain}`)
                  : m.role
                    ? t(`family.roles.${m.role}`)
                    : "",
              },
              { text: <StatusTag status={m.status}>{t(`statuses.${m.status}`)}</StatusTag> },
              { text: t(m.presenceConfirmed ? "view.presenceYes" : "view.presenceNo") },
              { text: String(m.children), format: "numeric" },
            ])}
          />
          <p className="govuk-body">{t("family.together")}</p>
        </>
      ) : (
        <p className="govuk-body">{t("family.alone")}</p>
      )}
    </section>
  );
}

function Notes({
  view,
  errors,
  values,
}: {
  view: LoaderData;
  errors: Record<string, string>;
  values: Record<string, string | undefined>;
}) {
  const { t, i18n } = useTranslation("case");
  return (
    <section id="notes">
      <h2 className="govuk-heading-m">{t("notes.title")}</h2>
      <p className="govuk-body">{t("notes.private")}</p>
      {view.notes.length ? (
        view.notes.map((note) => (
          <div key={note.id} className="govuk-inset-text">
            <p className="govuk-body-s">
              {t("notes.by", { name: note.author, time: formatDateTime(note.at, i18n.language) })}
            </p>
            <p className="govuk-body app-pre-line">{note.body}</p>
          </div>
        ))
      ) : (
        <p className="govuk-body">{t("notes.none")}</p>
      )}
      {view.claim?.mine ? (
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="intent" value="note" />
          {noteFields.map((field) => (
            <FieldControl
              key={field.name}
              field={field}
              ns="case"
              lang={i18n.language}
              values={values}
              errors={errors}
            />
          ))}
          <Button variant="secondary" preventDoubleClick>
            {t("notes.add")}
          </Button>
        </Form>
      ) : (
        <p className="govuk-body">{t("notes.claimFirst")}</p>
      )}
    </section>
  );
}
