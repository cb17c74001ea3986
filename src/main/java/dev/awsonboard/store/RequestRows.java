package dev.awsonboard.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.awsonboard.lifecycle.model.Approval;
import dev.awsonboard.lifecycle.model.ApprovalNeed;
import dev.awsonboard.lifecycle.model.GrantTerm;
import dev.awsonboard.lifecycle.model.Holding;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.MessageRef;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.model.Step;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How a {@link Request} lies in an onboarding_request row and comes back: one list of columns in
 * the order every statement binds them, lists as JSON arrays, the ending as {@link Notices},
 * instants as {@link Timestamps}, and the IAM user name once more in lower case for the indexes.
 */
final class RequestRows {
    /** Every column of a request but id and version, in the order {@link #bind} binds them. */
    static final List<String> FIELDS = List.of("status", "step", "iam_user_name", "iam_user_name_lower",
            "target_user_id", "requester_user_id", "approver_user_id", "groups_json", "reason",
            "approval_messages_json", "dm_channel", "qr_file_id", "mfa_serial", "user_arn", "sign_in_url",
            "failure_reason", "kind", "plan_json", "removed_json", "setup_message", "leftovers", "created_at", "updated_at",
            "iam_user_id", "linked_to", "approvals_json", "approval_needs_json", "grant_length", "grant_ends_at");

    /** The whole row: id, {@link #FIELDS}, version. */
    static final String COLUMNS = "id, " + String.join(", ", FIELDS) + ", version";

    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() { };

    private final ObjectMapper json;

    RequestRows(ObjectMapper json) {
        this.json = Objects.requireNonNull(json, "json");
    }

    /** Binds {@link #FIELDS} of {@code r} from parameter {@code i} on; the next parameter's index. */
    int bind(PreparedStatement ps, int i, Request r) throws SQLException {
        ps.setString(i++, r.status().name());
        ps.setString(i++, r.step().name());
        ps.setString(i++, r.iamUserName());
        ps.setString(i++, r.iamUserName() == null ? null : r.iamUserName().toLowerCase(Locale.ROOT));
        ps.setString(i++, r.targetUserId());
        ps.setString(i++, r.requesterUserId());
        ps.setString(i++, r.approverUserId());
        ps.setString(i++, toJson(r.groups()));
        ps.setString(i++, r.reason());
        ps.setString(i++, toJson(r.approvalMessages().stream().map(MessageRef::encode).toList()));
        ps.setString(i++, r.dmChannel());
        ps.setString(i++, r.qrFileId());
        ps.setString(i++, r.mfaSerial());
        ps.setString(i++, r.userArn());
        ps.setString(i++, r.signInUrl());
        ps.setString(i++, Notices.encode(json, r.ending()));
        ps.setString(i++, r.kind().name());
        ps.setString(i++, toJson(r.plan().stream().map(Holding::encode).toList()));
        ps.setString(i++, toJson(r.removed().stream().map(Holding::encode).toList()));
        ps.setString(i++, r.setupMessage() == null ? null : r.setupMessage().encode());
        ps.setLong(i++, r.leftovers() ? 1 : 0);
        ps.setString(i++, Timestamps.format(r.createdAt()));
        ps.setString(i++, Timestamps.format(r.updatedAt()));
        ps.setString(i++, r.iamUserId());
        ps.setString(i++, r.linkedTo());
        ps.setString(i++, toJson(r.approvals().stream().map(Approval::encode).toList()));
        ps.setString(i++, toJson(r.needs().stream().map(ApprovalNeed::encode).toList()));
        ps.setString(i++, r.grant() == null ? null : r.grant().length().toString());
        ps.setString(i++, r.grant() == null || r.grant().endsAt() == null ? null : Timestamps.format(r.grant().endsAt()));
        return i;
    }

    /** The request in the current row of {@code rs}, selected with {@link #COLUMNS}. */
    Request read(ResultSet rs) throws SQLException {
        List<MessageRef> refs = fromJson(rs.getString("approval_messages_json")).stream()
                .map(MessageRef::decode).toList();
        String setupMessage = rs.getString("setup_message");
        String grantLength = rs.getString("grant_length");
        String grantEndsAt = rs.getString("grant_ends_at");
        return new Request(
                rs.getString("id"),
                Kind.valueOf(rs.getString("kind")),
                Status.valueOf(rs.getString("status")),
                Step.valueOf(rs.getString("step")),
                rs.getString("iam_user_name"),
                rs.getString("target_user_id"),
                rs.getString("requester_user_id"),
                rs.getString("approver_user_id"),
                fromJson(rs.getString("groups_json")),
                rs.getString("reason"),
                refs,
                rs.getString("dm_channel"),
                rs.getString("qr_file_id"),
                rs.getString("mfa_serial"),
                rs.getString("user_arn"),
                rs.getString("iam_user_id"),
                rs.getString("linked_to"),
                rs.getString("sign_in_url"),
                Notices.decode(json, rs.getString("failure_reason")),
                rs.getLong("leftovers") != 0,
                fromJson(rs.getString("plan_json")).stream().map(Holding::decode).toList(),
                fromJson(rs.getString("removed_json")).stream().map(Holding::decode).toList(),
                setupMessage == null ? null : MessageRef.decode(setupMessage),
                fromJson(rs.getString("approvals_json")).stream().map(Approval::decode).toList(),
                fromJson(rs.getString("approval_needs_json")).stream().map(ApprovalNeed::decode).toList(),
                grantLength == null ? null : new GrantTerm(java.time.Duration.parse(grantLength),
                        grantEndsAt == null ? null : Timestamps.parse(grantEndsAt)),
                Timestamps.parse(rs.getString("created_at")),
                Timestamps.parse(rs.getString("updated_at")),
                rs.getLong("version"));
    }

    private String toJson(List<String> values) {
        try {
            return json.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot serialise a list column", e);
        }
    }

    private List<String> fromJson(String text) {
        if (text == null || text.isEmpty() || text.equals("[]")) { // most lists are empty: no parser for them
            return List.of();
        }
        try {
            return json.readValue(text, STRING_LIST);
        } catch (JsonProcessingException e) {
            // Jackson's message quotes the offending text; keep it only as the cause.
            throw new StoreException("cannot parse a stored list column", e);
        }
    }
}
