package io.gridledger.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.List;

/** The market and the consortium, read-only: offers, the partner's account, reputation, the consortium's parameters. */
final class MarketCommands {

    private MarketCommands() {
    }

    @Command(name = "offers", description = "The market's offers.", mixinStandardHelpOptions = true,
            subcommands = Offers.ListOffers.class)
    static final class Offers extends ApiCommand.Group {

        @Command(name = "list", description = "Offers of a resource class (--class) or of a node (--node), cheapest first.")
        static final class ListOffers extends ApiCommand {
            @CommandLine.ArgGroup(multiplicity = "1")
            Selection selection;

            /** The API lists one resource class or one node's offers. */
            static final class Selection {
                @Option(names = "--class", paramLabel = "CLASS", required = true,
                        description = "a resource class: <arch>/cpu or <arch>/gpu/<model> (e.g. amd64/cpu)")
                String resourceClass;

                @Option(names = "--node", paramLabel = "NODE_ID", required = true, description = "one node's offers")
                String node;
            }

            @Option(names = "--max-unit-price", paramLabel = "PRICE", description = "at most this unit price")
            Long maxUnitPrice;

            @CommandLine.Mixin
            ApiCommand.Paging paging;


            @Override


            int run(Gridctl root, Printer printer) {
                var parameters = new LinkedHashMap<String, Object>();
                parameters.put("class", selection.resourceClass);
                parameters.put("node", selection.node);
                parameters.put("maxUnitPrice", maxUnitPrice);
                parameters.put("pageSize", paging.pageSize);
                parameters.put("cursor", paging.cursor);
                var page = root.api().get(GatewayClient.query("/offers", parameters));
                printer.table(page, page.path("items"), List.of(new Printer.Column("OFFER ID", "/offerId"),
                        new Printer.Column("NODE", "/nodeId"), new Printer.Column("STATUS", "/status"),
                        new Printer.Column("SLOTS", "/slots"), new Printer.Column("UNIT PRICE", "/unitPrice"),
                        new Printer.Column("CPU m", "/slot/cpuMillis"), new Printer.Column("MEM MiB", "/slot/memoryMiB"),
                        new Printer.Column("GPUS", "/slot/gpuCount"), new Printer.Column("ARCH", "/slot/arch"),
                        new Printer.Column("LABELS", "/slot/labels")));
                if (!printer.json() && page.hasNonNull("nextCursor")) {
                    printer.line("more: --cursor " + page.get("nextCursor").asText());
                }
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "accounts", description = "Your account.", mixinStandardHelpOptions = true,
            subcommands = Accounts.Balance.class)
    static final class Accounts extends ApiCommand.Group {

        @Command(name = "balance", description = "Your account and its balance.")
        static final class Balance extends ApiCommand {

            @Override

            int run(Gridctl root, Printer printer) {
                printer.object(root.api().get("/account"));
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "reputation", description = "Reputation and its evidence: of a node (--node) or an org (--org).")
    static final class Reputation extends ApiCommand {
        @CommandLine.ArgGroup(multiplicity = "1")
        Subject subject;

        static final class Subject {
            @Option(names = "--node", paramLabel = "NODE_ID", required = true, description = "e.g. Org2MSP/node1@org2.gridledger.example")
            String node;

            @Option(names = "--org", paramLabel = "MSP_ID", required = true, description = "e.g. Org2MSP")
            String org;
        }


        @Override


        int run(Gridctl root, Printer printer) {
            var path = subject.node != null ? GatewayClient.query("/reputation/node", java.util.Map.of("nodeId", subject.node))
                    : "/reputation/orgs/" + GatewayClient.pathSegments(subject.org);
            printer.object(root.api().get(path));
            return ExitCodes.OK;
        }
    }

    @Command(name = "params", description = "The consortium's parameters (fees, stakes, windows, members).")
    static final class Params extends ApiCommand {

        @Override

        int run(Gridctl root, Printer printer) {
            printer.object(root.api().get("/consortium/parameters"));
            return ExitCodes.OK;
        }
    }
}
