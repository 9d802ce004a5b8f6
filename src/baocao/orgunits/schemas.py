"""API shapes of org units and unit groups."""

from datetime import date

from ninja import Field, Schema

from baocao.core.api_types import Id, InputSchema, IsoDate
from baocao.orgunits.choices import UnitKind


class UnitFilters(InputSchema):
    q: str | None = Field(None, max_length=200, description="Tìm theo mã, tên (không phân biệt dấu)")
    kind: UnitKind | None = None
    parent: Id | None = Field(None, description="Chỉ các đơn vị trực thuộc đơn vị này")
    active: bool | None = Field(None, description="true: đang hoạt động; false: đã hết hiệu lực")
    valid_on: IsoDate | None = Field(None, description="Chỉ các đơn vị có hiệu lực vào ngày này")
    on: IsoDate | None = Field(None, description="Cây đơn vị vào ngày này: các đơn vị có hiệu lực ngày đó, "
                                                 "`parent_id` là đơn vị cấp trên của ngày đó")


class UnitOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    kind: UnitKind
    kind_label: str
    parent_id: int | None
    depth: int
    valid_from: date | None
    valid_to: date | None
    is_active: bool

    @staticmethod
    def resolve_parent_id(obj) -> int | None:
        return getattr(obj, "parent_on", obj.parent_id)

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_is_active(obj) -> bool:
        return obj.valid_to is None


class UnitGroupOut(Schema):
    id: int
    code: str
    name: str
    member_ids: list[int] = Field(description="Các đơn vị thành viên mà người dùng được xem")


class NeighbourOut(Schema):
    code: str
    name: str
    share: float = Field(description="Phần của đơn vị trước chuyển sang (1 là toàn bộ)")
    method: str = Field(description="whole, population, area hoặc manual")
    effective: date
    legal_basis: str


class FormerNameOut(Schema):
    code: str
    name: str
    valid_to: date


class LineageOut(Schema):
    code: str
    name: str
    valid_from: date | None
    valid_to: date | None
    predecessors: list[NeighbourOut]
    successors: list[NeighbourOut]
    former_names: list[FormerNameOut]
