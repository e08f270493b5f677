"""The Gosuslugi feedback platform (ПОС): appeals pulled and answered over HTTP, or imported from
the operator's export file. The contract is ours to state: docs/pos-contract.md."""
