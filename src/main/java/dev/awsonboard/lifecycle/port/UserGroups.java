package dev.awsonboard.lifecycle.port;

import java.util.List;

/**
 * The workspace's user groups ({@code S...} ids), which approval rules may name as approvers.
 * Failures to ask throw {@link NotifierException}; a group that does not exist is one too.
 */
public interface UserGroups {

    /** The people in the user group now. */
    List<String> members(String userGroupId);
}
