package io.gridledger.chaincode.ledger;

import io.gridledger.chaincode.domain.Params;
import io.gridledger.chaincode.domain.Rejection;
import org.hyperledger.fabric.contract.ClientIdentity;

import javax.naming.NamingException;
import javax.naming.ldap.LdapName;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Who signed the transaction, and in which role.
 *
 * <p>The role comes from the identity itself: the Fabric CA attribute {@code gridledger.role}
 * ({@code client}, {@code provider} or {@code admin}) when present, otherwise the node OU of the
 * certificate ({@code admin}, {@code client}, {@code peer}) or an OU {@code provider} — in any RDN, including the
 * multi-valued one Fabric CA writes ({@code OU=client+OU=provider}). The account of an
 * identity is {@code <MSP ID>/<common name>}: an org's CA issues one common name once.
 */
public record Caller(String mspId, String commonName, Role role) {

    public static final String ROLE_ATTRIBUTE = "gridledger.role";

    public enum Role { CLIENT, PROVIDER, ADMIN, PEER, OTHER }

    public static Caller of(ClientIdentity identity) {
        var cert = identity.getX509Certificate();
        var commonName = "";
        var ous = new ArrayList<String>();
        try {
            // An RDN may hold several attributes: Fabric CA (Go's pkix.Name) writes all OUs of an identity as one
            // multi-valued RDN, "OU=client+OU=provider"; Rdn.getType()/getValue() would see only the first.
            for (var rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                var attributes = rdn.toAttributes().getAll();
                while (attributes.hasMore()) {
                    var attribute = attributes.next();
                    var values = attribute.getAll();
                    while (values.hasMore()) {
                        var value = String.valueOf(values.next());
                        if (attribute.getID().equalsIgnoreCase("CN")) {
                            commonName = value;
                        } else if (attribute.getID().equalsIgnoreCase("OU")) {
                            ous.add(value.toLowerCase(Locale.ROOT));
                        }
                    }
                }
            }
        } catch (NamingException e) {
            throw Rejection.forbidden("the creator certificate's subject cannot be parsed");
        }
        return new Caller(identity.getMSPID(), commonName, role(identity.getAttributeValue(ROLE_ATTRIBUTE), ous));
    }

    static Role role(String attribute, List<String> ous) {
        if (attribute != null) {
            return switch (attribute.toLowerCase(Locale.ROOT)) {
                case "client" -> Role.CLIENT;
                case "provider" -> Role.PROVIDER;
                case "admin" -> Role.ADMIN;
                default -> Role.OTHER;
            };
        }
        if (ous.contains("admin")) {
            return Role.ADMIN;
        }
        if (ous.contains("provider")) {
            return Role.PROVIDER;
        }
        if (ous.contains("peer")) {
            return Role.PEER;
        }
        return ous.contains("client") ? Role.CLIENT : Role.OTHER;
    }

    public String accountId() {
        return accountOf(mspId, commonName);
    }

    public static String accountOf(String mspId, String commonName) {
        return mspId + "/" + commonName;
    }

    /** The MSP ID an account belongs to ({@code Org1MSP/alice} → {@code Org1MSP}). */
    public static String orgOfAccount(String accountId) {
        int slash = accountId.indexOf('/');
        return slash <= 0 ? "" : accountId.substring(0, slash);
    }

    /** Fails unless the caller belongs to a member org and holds {@code required}. */
    public Caller require(Params params, Role required, String action) {
        requireMember(params, action);
        if (role != required) {
            throw Rejection.forbidden(action + " requires the " + required.name().toLowerCase(Locale.ROOT)
                    + " role; " + accountId() + " is " + role.name().toLowerCase(Locale.ROOT));
        }
        return this;
    }

    public Caller requireMember(Params params, String action) {
        if (!params.isMember(mspId)) {
            throw Rejection.forbidden(action + ": " + mspId + " is not a member org of the consortium");
        }
        if (commonName.isEmpty()) {
            throw Rejection.forbidden(action + ": the creator certificate has no common name");
        }
        return this;
    }
}
