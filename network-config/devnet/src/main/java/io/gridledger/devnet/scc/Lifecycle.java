package io.gridledger.devnet.scc;

import com.google.protobuf.InvalidProtocolBufferException;
import io.gridledger.devnet.chaincode.ChaincodeDefinition;
import io.gridledger.devnet.policy.ChannelPolicies;
import io.gridledger.devnet.policy.EndorsementPolicy;
import org.hyperledger.fabric.protos.peer.CollectionConfigPackage;
import org.hyperledger.fabric.protos.peer.Response;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryChaincodeDefinitionArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryChaincodeDefinitionResult;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryChaincodeDefinitionsArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryChaincodeDefinitionsResult;

import java.util.Collection;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Fabric's {@code _lifecycle} system chaincode, read-only: the committed chaincode definitions of the channel, as
 * {@code peer lifecycle chaincode querycommitted} and SDKs ask for them. Devnet's definitions come from its
 * configuration ({@code chaincode/definition.yaml}) and count as approved by every member org.
 *
 * <p>Arguments are the function name and one serialized {@code lifecycle.<Function>Args}:
 * <ul>
 *   <li>{@code QueryChaincodeDefinition} ({@code QueryChaincodeDefinitionArgs{name}}) →
 *       {@code QueryChaincodeDefinitionResult}: sequence, version, plugins {@code escc}/{@code vscc}, the
 *       endorsement policy as a {@code peer.ApplicationPolicy} (a channel config policy reference such as
 *       {@code /Channel/Application/Endorsement}, or a signature policy), {@code init_required} false, no
 *       collections, and {@code approvals} true for every member org; status 404
 *       {@code namespace X is not defined} for any other name;</li>
 *   <li>{@code QueryChaincodeDefinitions} → {@code QueryChaincodeDefinitionsResult}, by name.</li>
 * </ul>
 * Both need the channel's Writers ACL, as in Fabric. Installing, approving, committing and the per-peer queries are
 * refused: devnet's definitions are fixed when it starts.
 */
public final class Lifecycle implements SystemChaincode {

    public static final String NAME = "_lifecycle";
    static final String READ_ONLY = "devnet's _lifecycle is read-only and answers QueryChaincodeDefinition and "
            + "QueryChaincodeDefinitions only: chaincode definitions are fixed when devnet starts "
            + "(chaincode/definition.yaml)";
    private static final String ENDORSEMENT_PLUGIN = "escc";
    private static final String VALIDATION_PLUGIN = "vscc";

    private final SortedMap<String, QueryChaincodeDefinitionResult> definitions = new TreeMap<>();
    private final AccessControl access;

    /**
     * @param definitions the channel's chaincode definitions
     * @param memberOrgs  the channel's member orgs, each of which approved every definition
     * @param policies    the channel's policies, which definitions may refer to
     */
    public Lifecycle(Collection<ChaincodeDefinition> definitions, Collection<String> memberOrgs, ChannelPolicies policies,
                     AccessControl access) {
        this.access = Objects.requireNonNull(access, "access");
        for (var definition : definitions) {
            var result = QueryChaincodeDefinitionResult.newBuilder()
                    .setSequence(definition.sequence())
                    .setVersion(definition.version())
                    .setEndorsementPlugin(ENDORSEMENT_PLUGIN)
                    .setValidationPlugin(VALIDATION_PLUGIN)
                    .setValidationParameter(EndorsementPolicy.ofDefinition(definition.endorsementPolicy(), policies)
                            .toApplicationPolicy().toByteString())
                    .setInitRequired(false)
                    .setCollections(CollectionConfigPackage.getDefaultInstance());
            memberOrgs.forEach(org -> result.putApprovals(org, true));
            this.definitions.put(definition.name(), result.build());
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Response invoke(Invocation invocation) {
        var args = invocation.args();
        if (args.isEmpty()) {
            return SystemChaincode.error("lifecycle scc must be invoked with arguments");
        }
        if (args.size() != 2) {
            return SystemChaincode.error("lifecycle scc operations require exactly two arguments but received "
                    + args.size());
        }
        var function = invocation.text(0);
        var denied = access.denial(NAME + "/" + function, invocation.channelId(), invocation);
        if (denied.isPresent()) {
            return SystemChaincode.error("Failed to authorize invocation due to failed ACL check: " + denied.get());
        }
        try {
            return switch (function) {
                case "QueryChaincodeDefinition" -> definition(QueryChaincodeDefinitionArgs.parseFrom(args.get(1)).getName());
                case "QueryChaincodeDefinitions" -> {
                    QueryChaincodeDefinitionsArgs.parseFrom(args.get(1));
                    yield SystemChaincode.success(allDefinitions().toByteString());
                }
                default -> failed(function, READ_ONLY);
            };
        } catch (InvalidProtocolBufferException e) {
            return failed(function, "could not decode input arg for *lifecycle.Invocation." + function + ": "
                    + e.getMessage());
        }
    }

    private Response definition(String name) {
        var definition = definitions.get(name);
        if (definition == null) {
            return Response.newBuilder().setStatus(404).setMessage("namespace " + name + " is not defined").build();
        }
        return SystemChaincode.success(definition.toByteString());
    }

    private QueryChaincodeDefinitionsResult allDefinitions() {
        var result = QueryChaincodeDefinitionsResult.newBuilder();
        definitions.forEach((name, definition) -> result.addChaincodeDefinitions(
                QueryChaincodeDefinitionsResult.ChaincodeDefinition.newBuilder()
                        .setName(name)
                        .setSequence(definition.getSequence())
                        .setVersion(definition.getVersion())
                        .setEndorsementPlugin(definition.getEndorsementPlugin())
                        .setValidationPlugin(definition.getValidationPlugin())
                        .setValidationParameter(definition.getValidationParameter())
                        .setInitRequired(definition.getInitRequired())
                        .setCollections(definition.getCollections())));
        return result.build();
    }

    private static Response failed(String function, String reason) {
        return SystemChaincode.error("failed to invoke backing implementation of '" + function + "': " + reason);
    }
}
