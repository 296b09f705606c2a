//! Courses, enrolment, attendance and completion.

use super::*;

fn day(text: &str) -> Date {
    Date::parse_iso(text).unwrap_or_else(|| panic!("{text}"))
}

const PARAMS: TrainingParameters = TrainingParameters {
    attendance_percent: 80,
    subsidy_max_fen: 300_000,
};

fn draft() -> CourseDraft<'static> {
    CourseDraft {
        title: " 中式烹调师（初级） ",
        occupation: "4-03-02-01",
        hours: 90,
        places: 2,
        subsidy_fen: 150_000,
        payee: "card",
        starts_on: day("2026-03-02"),
        ends_on: day("2026-03-31"),
    }
}

fn course() -> CourseFacts {
    CourseFacts {
        status: CourseStatus::Open,
        hours: 90,
        places: 2,
        starts_on: day("2026-03-02"),
        ends_on: day("2026-03-31"),
        attendance_percent: 80,
    }
}

fn field(result: Result<CourseTerms, EmploymentError>) -> &'static str {
    match result {
        Err(EmploymentError::Invalid { field, .. }) => field,
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_course_is_checked_field_by_field() {
    let today = day("2026-03-01");
    let terms = draft().check(today, &PARAMS).unwrap();
    assert_eq!(terms.title, "中式烹调师（初级）");
    assert_eq!(terms.payee, SubsidyPayee::Card);
    let cases: [(CourseDraft<'static>, &str); 9] = [
        (
            CourseDraft {
                title: "  ",
                ..draft()
            },
            "title",
        ),
        (
            CourseDraft {
                occupation: "9-01",
                ..draft()
            },
            "occupation",
        ),
        (
            CourseDraft {
                hours: 0,
                ..draft()
            },
            "hours",
        ),
        (
            CourseDraft {
                places: 1_001,
                ..draft()
            },
            "places",
        ),
        (
            CourseDraft {
                subsidy_fen: 300_001,
                ..draft()
            },
            "subsidy_fen",
        ),
        (
            CourseDraft {
                payee: "bank",
                ..draft()
            },
            "payee",
        ),
        (
            CourseDraft {
                starts_on: day("2026-02-28"),
                ..draft()
            },
            "starts_on",
        ),
        (
            CourseDraft {
                ends_on: day("2026-03-01"),
                ..draft()
            },
            "ends_on",
        ),
        // One day holds at most 12 hours.
        (
            CourseDraft {
                ends_on: day("2026-03-02"),
                hours: 13,
                ..draft()
            },
            "hours",
        ),
    ];
    for (case, expected) in cases {
        assert_eq!(field(case.check(today, &PARAMS)), expected, "{case:?}");
    }
    let one_day = CourseDraft {
        ends_on: day("2026-03-02"),
        hours: 12,
        ..draft()
    };
    assert!(one_day.check(today, &PARAMS).is_ok());
    assert!(
        CourseDraft {
            subsidy_fen: 300_000,
            ..draft()
        }
        .check(today, &PARAMS)
        .is_ok()
    );
}

#[test]
fn the_required_hours_are_the_share_rounded_up() {
    assert_eq!(PARAMS.required_hours(90), 72);
    assert_eq!(PARAMS.required_hours(91), 73); // 72.8
    assert_eq!(PARAMS.required_hours(u32::MAX), 3_435_973_836);
    let all = TrainingParameters {
        attendance_percent: 100,
        ..PARAMS
    };
    assert_eq!(all.required_hours(7), 7);
    assert!(PARAMS.validate().is_ok());
    assert!(
        TrainingParameters {
            attendance_percent: 49,
            ..PARAMS
        }
        .validate()
        .is_err()
    );
    assert!(
        TrainingParameters {
            attendance_percent: 101,
            ..PARAMS
        }
        .validate()
        .is_err()
    );
    assert!(
        TrainingParameters {
            subsidy_max_fen: 0,
            ..PARAMS
        }
        .validate()
        .is_err()
    );
}

#[test]
fn a_course_is_reviewed_once() {
    assert_eq!(CourseStatus::Pending.review(true), Ok(CourseStatus::Open));
    assert_eq!(
        CourseStatus::Pending.review(false),
        Ok(CourseStatus::Rejected)
    );
    assert!(CourseStatus::Open.review(true).is_err());
    assert!(CourseStatus::Rejected.review(true).is_err());
    for status in [
        CourseStatus::Pending,
        CourseStatus::Open,
        CourseStatus::Rejected,
    ] {
        assert_eq!(CourseStatus::parse(status.as_str()), Some(status));
    }
}

#[test]
fn enrolment_needs_an_open_course_not_started_with_a_place() {
    let course = course();
    assert_eq!(may_enrol(&course, 1, day("2026-03-02")), Ok(()));
    assert_eq!(
        may_enrol(&course, 1, day("2026-03-03")),
        Err(TrainingRefusal::EnrolmentClosed)
    );
    assert_eq!(
        may_enrol(&course, 2, day("2026-03-01")),
        Err(TrainingRefusal::CourseFull)
    );
    let pending = CourseFacts {
        status: CourseStatus::Pending,
        ..course
    };
    assert_eq!(
        may_enrol(&pending, 0, day("2026-03-01")).map_err(|e| e.code()),
        Err("wrong_state")
    );
}

#[test]
fn attendance_is_a_day_of_the_course_that_came_within_its_hours() {
    let course = course();
    let today = day("2026-03-10");
    let enrolled = EnrolmentStatus::Enrolled;
    assert_eq!(
        check_attendance(&course, enrolled, 0, (day("2026-03-02"), 8), today),
        Ok(())
    );
    for (attended, entry) in [
        (0, (day("2026-03-01"), 8)),
        (0, (day("2026-03-11"), 8)),
        (0, (day("2026-03-05"), 0)),
        (0, (day("2026-03-05"), 13)),
        (85, (day("2026-03-05"), 6)),
    ] {
        assert_eq!(
            check_attendance(&course, enrolled, attended, entry, today).map_err(|e| e.code()),
            Err("invalid_vacancy"),
            "{attended} {entry:?}"
        );
    }
    assert_eq!(
        check_attendance(&course, enrolled, 84, (day("2026-03-05"), 6), today),
        Ok(())
    );
    let withdrawn = check_attendance(
        &course,
        EnrolmentStatus::Withdrawn,
        0,
        (day("2026-03-05"), 6),
        today,
    );
    assert_eq!(withdrawn.map_err(|e| e.code()), Err("wrong_state"));
}

#[test]
fn completion_needs_the_course_over_and_the_share_attended() {
    let course = course();
    let (last, before) = (day("2026-03-31"), day("2026-03-30"));
    let enrolled = EnrolmentStatus::Enrolled;
    assert_eq!(
        complete(&course, enrolled, 90, true, before),
        Err(TrainingRefusal::CourseNotOver)
    );
    assert_eq!(
        complete(&course, enrolled, 71, true, last),
        Err(TrainingRefusal::AttendanceShort {
            attended: 71,
            required: 72
        })
    );
    assert_eq!(
        complete(&course, enrolled, 72, true, last),
        Ok(EnrolmentStatus::Completed)
    );
    assert_eq!(
        complete(&course, enrolled, 0, false, last),
        Ok(EnrolmentStatus::NotCompleted)
    );
    for status in [
        EnrolmentStatus::Completed,
        EnrolmentStatus::NotCompleted,
        EnrolmentStatus::Withdrawn,
    ] {
        assert_eq!(
            complete(&course, status, 90, true, last).map_err(|e| e.code()),
            Err("wrong_state")
        );
        assert!(status.withdraw().is_err());
        assert_eq!(EnrolmentStatus::parse(status.as_str()), Some(status));
    }
    assert_eq!(enrolled.withdraw(), Ok(EnrolmentStatus::Withdrawn));
}

#[test]
fn a_trainee_withdraws_until_the_first_day() {
    let course = course();
    let enrolled = EnrolmentStatus::Enrolled;
    assert_eq!(
        withdraw(&course, enrolled, day("2026-03-02")),
        Ok(EnrolmentStatus::Withdrawn)
    );
    assert_eq!(
        withdraw(&course, enrolled, day("2026-03-03")),
        Err(TrainingRefusal::CourseStarted)
    );
    assert_eq!(
        withdraw(&course, EnrolmentStatus::Completed, day("2026-03-01")).map_err(|e| e.code()),
        Err("wrong_state")
    );
}
